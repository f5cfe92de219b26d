package org.screening.outreach.intake;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberFormat;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberType;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;

/** Turns what people type into E.164 with libphonenumber (region CN); landlines are callable, not textable. */
public final class PhoneNormaliser {
    private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();

    public record Phone(String e164, boolean smsCapable) {}

    /** Either a phone or a message saying what is wrong with the input. */
    public record Result(Phone phone, String problem) {}

    public Result normalise(String raw) {
        if (raw == null || raw.isBlank()) return problem("phone is empty");
        // Full-width digits and signs (１３８－…, ＋８６) become ASCII.
        String text = CaseValidator.nfkc(raw).strip();
        int digits = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= '0' && c <= '9') {
                digits++;
            } else if ("+-() .\u00a0".indexOf(c) < 0) {
                // libphonenumber would read letters as a keypad word; a pushed list never means that.
                return problem("phone may contain only digits, spaces, dashes, brackets and a leading +");
            }
        }
        if (digits < 7) return problem("phone is too short");
        try {
            PhoneNumber n = UTIL.parse(text, "CN");
            // getNumberType is UNKNOWN exactly when isValidNumber is false (both match the number against the
            // metadata of its region), so one look-up answers both questions.
            PhoneNumberType type = UTIL.getNumberType(n);
            if (type == PhoneNumberType.UNKNOWN) return problem("phone is not a valid number");
            boolean mobile = type == PhoneNumberType.MOBILE || type == PhoneNumberType.FIXED_LINE_OR_MOBILE;
            return new Result(new Phone(UTIL.format(n, PhoneNumberFormat.E164), mobile), null);
        } catch (NumberParseException e) {
            return problem("phone is not a valid number");
        }
    }

    private static Result problem(String message) {
        return new Result(null, message);
    }
}
