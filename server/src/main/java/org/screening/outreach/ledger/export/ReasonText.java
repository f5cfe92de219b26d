package org.screening.outreach.ledger.export;

import java.util.List;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A status change's reason in the reader's language, for the console's case page and the ledger export alike.
 * Fixed reasons are looked up whole ({@code reason.<text>}); the ones the server builds with a number, an outcome or
 * a note are matched by their form, and the parts a reader should see in their language are looked up too.
 */
public final class ReasonText {
    private record Form(Pattern pattern, String key, List<String> partPrefixes) {}

    /** In order: the first form that matches wins ("verified by match: …" before "verified by …"). */
    private static final List<Form> FORMS = List.of(
            new Form(Pattern.compile("answered call (\\d+)"), "reason.answeredCall", List.of("")),
            new Form(Pattern.compile("door knock: (\\w+)"), "reason.doorKnock", List.of("outcome.")),
            new Form(Pattern.compile("already known: same ID number as (.+)"), "reason.knownById", List.of("")),
            new Form(Pattern.compile("already known: same phone and name as (.+)"), "reason.knownByPhoneAndName", List.of("")),
            new Form(Pattern.compile("verified by match: same ID number as (.+)"), "reason.matchedById", List.of("")),
            new Form(Pattern.compile("verified by match: same phone and name as (.+)"), "reason.matchedByPhoneAndName",
                    List.of("")),
            new Form(Pattern.compile("verified by ([^:]+): (.+)", Pattern.DOTALL), "reason.verifiedByWithNote",
                    List.of("method.", "")),
            new Form(Pattern.compile("verified by (.+)"), "reason.verifiedBy", List.of("method.")),
            // Why a transfer went to the task force (TRANSFER_ESCALATED), see ledger/transfer.
            new Form(Pattern.compile("not acknowledged (\\d+) min into its hour"), "reason.transferUnacknowledged",
                    List.of("")),
            new Form(Pattern.compile("no peer endpoint is configured for (\\d+)"), "reason.transferNoPeer", List.of("")),
            new Form(Pattern.compile("the receiving jurisdiction did not take it \\((.+)\\)", Pattern.DOTALL),
                    "reason.transferRefused", List.of("")));

    private ReasonText() {}

    public static String of(String raw, Labels labels) {
        String whole = labels.text("reason." + raw, null);
        if (whole != null) return whole;
        for (Form f : FORMS) {
            Matcher m = f.pattern().matcher(raw);
            if (!m.matches()) continue;
            String template = labels.text(f.key(), null);
            if (template == null) return raw;
            for (int i = 0; i < f.partPrefixes().size(); i++) {
                String part = m.group(i + 1);
                String prefix = f.partPrefixes().get(i);
                UnaryOperator<String> shown = p -> prefix.isEmpty() ? p : labels.text(prefix + p, p);
                template = template.replace("{" + i + "}", shown.apply(part));
            }
            return template;
        }
        return raw;
    }
}
