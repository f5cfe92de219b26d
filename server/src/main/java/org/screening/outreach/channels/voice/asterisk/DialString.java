package org.screening.outreach.channels.voice.asterisk;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberFormat;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;

/**
 * The Originate channel for a phone number: the E.164 number reformatted for the trunk (see
 * {@link AsteriskSettings}) put into the channel template. The result holds the number in clear: never log it.
 */
final class DialString {
    static final String NUMBER = "{number}";
    private static final PhoneNumberUtil PHONES = PhoneNumberUtil.getInstance();

    private DialString() {}

    static String channel(AsteriskSettings s, String e164) {
        return s.channelTemplate().replace(NUMBER, number(s, e164));
    }

    static String number(AsteriskSettings s, String e164) {
        if (e164 == null || e164.isBlank()) throw new IllegalArgumentException("no phone number");
        String n = e164.strip();
        if (!s.stripPrefix().isEmpty() && n.startsWith(s.stripPrefix())) {
            String rest = n.substring(s.stripPrefix().length());
            n = s.dialPrefix().isEmpty() ? national(s.stripPrefix(), n, rest) : s.dialPrefix() + rest;
        }
        // Anything but digits, '+', '*' or '#' could end the channel string or inject an option.
        if (!n.matches("[+0-9*#]+")) throw new IllegalArgumentException("phone number has characters a trunk cannot dial");
        return n;
    }

    /**
     * Stripping the country code alone means national format, where a landline takes its trunk prefix back
     * (+86 28 1234 5678 is dialled 028 1234 5678) while a mobile has none (+86 138… stays 138…).
     */
    private static String national(String stripPrefix, String e164, String rest) {
        try {
            PhoneNumber p = PHONES.parse(e164, null);
            if (!PHONES.isValidNumber(p) || !stripPrefix.equals("+" + p.getCountryCode())) return rest;
            return PHONES.format(p, PhoneNumberFormat.NATIONAL).replaceAll("[^0-9]", "");
        } catch (NumberParseException e) {
            return rest;
        }
    }
}
