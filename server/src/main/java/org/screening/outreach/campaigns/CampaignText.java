package org.screening.outreach.campaigns;

import java.util.LinkedHashMap;
import java.util.Map;
import org.screening.outreach.sms.Segments;
import org.screening.outreach.sms.SmsTemplates;
import org.screening.outreach.sms.TemplateException;
import org.screening.outreach.sms.TemplateVariables;

/**
 * The text of a campaign: one of the {@code campaign.*} templates rendered once with the campaign's variables
 * (every recipient gets the same words), and what it costs in SMS parts.
 */
public final class CampaignText {
    /** Campaign templates are named so; reminders to a case are not for mass sending. */
    public static final String PREFIX = "campaign.";

    /** The longest body Twilio accepts, in UTF-16 units (about 24 parts of Chinese, 10 of plain English). */
    public static final int MAX_LENGTH = 1600;

    /** A template or variables that cannot make a text: the caller's mistake (HTTP 400). */
    public static final class Invalid extends Exception {
        public Invalid(String message) {
            super(message);
        }
    }

    /** The rendered text with its length in characters (code points), SMS parts and encoding. */
    public record Preview(String template, String lang, String text, int characters, int segments,
                          Segments.Encoding encoding) {}

    private final SmsTemplates templates;
    private final Map<String, String> defaults;

    /** {@code defaults}: variables filled in when the request leaves them out (the hotline of the deployment). */
    public CampaignText(SmsTemplates templates, Map<String, String> defaults) {
        this.templates = templates;
        this.defaults = Map.copyOf(defaults);
    }

    public Preview render(String template, String lang, Map<String, String> variables) throws Invalid {
        if (template == null || !template.startsWith(PREFIX) || !templates.names().contains(template)) {
            throw new Invalid("unknown campaign template '" + template + "'; have " + campaignTemplates());
        }
        // A language without its own file is sent (and recorded) as the primary one, as SmsTemplates renders it.
        String language = templates.languages(template).contains(lang) ? lang : SmsTemplates.PRIMARY_LANGUAGE;
        for (var e : variables.entrySet()) {
            if (!TemplateVariables.DOCUMENTED.contains(e.getKey())) {
                throw new Invalid("unknown variable '" + e.getKey() + "'; templates know " + TemplateVariables.DOCUMENTED);
            }
            // Longer never fits a text, used or not; and the variables are stored with the campaign (a TEXT column).
            if (e.getValue() != null && e.getValue().length() > MAX_LENGTH) {
                throw new Invalid("variable '" + e.getKey() + "' is " + e.getValue().length() + " characters; an SMS "
                        + "can carry at most " + MAX_LENGTH);
            }
        }
        Map<String, String> vars = new LinkedHashMap<>(defaults);
        vars.putAll(variables);
        String text;
        try {
            text = templates.render(template, language, vars);
        } catch (TemplateException e) {
            // Strict rendering: a variable the template uses and the request left out lands here.
            throw new Invalid("the template cannot be rendered with these variables: " + e.getMessage());
        }
        if (text.isBlank()) throw new Invalid("the rendered text is empty");
        Segments.Count count = Segments.count(text);
        // Twilio refuses a longer body (error 21617) for every recipient: a million refusals, nothing sent.
        if (text.length() > MAX_LENGTH) {
            throw new Invalid("the text is " + text.length() + " characters (" + count.segments() + " SMS parts); "
                    + "an SMS can carry at most " + MAX_LENGTH);
        }
        return new Preview(template, language, text, text.codePointCount(0, text.length()), count.segments(),
                count.encoding());
    }

    public java.util.List<String> campaignTemplates() {
        return templates.names().stream().filter(n -> n.startsWith(PREFIX)).toList();
    }
}
