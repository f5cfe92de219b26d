package org.screening.outreach.channels.voice.asterisk;

/**
 * The Originate channel for a phone number: the E.164 number reformatted for the trunk (see
 * {@link AsteriskSettings}) put into the channel template. The result holds the number in clear: never log it.
 */
final class DialString {
    static final String NUMBER = "{number}";

    private DialString() {}

    static String channel(AsteriskSettings s, String e164) {
        return s.channelTemplate().replace(NUMBER, number(s, e164));
    }

    static String number(AsteriskSettings s, String e164) {
        if (e164 == null || e164.isBlank()) throw new IllegalArgumentException("no phone number");
        String n = e164.strip();
        if (!s.stripPrefix().isEmpty() && n.startsWith(s.stripPrefix())) {
            n = s.dialPrefix() + n.substring(s.stripPrefix().length());
        }
        // Anything but digits, '+', '*' or '#' could end the channel string or inject an option.
        if (!n.matches("[+0-9*#]+")) throw new IllegalArgumentException("phone number has characters a trunk cannot dial");
        return n;
    }
}
