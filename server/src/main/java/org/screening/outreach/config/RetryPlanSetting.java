package org.screening.outreach.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.screening.outreach.domain.RetryPlan;

/**
 * Reads one retry plan from configuration, e.g. {@code OUTREACH_PLAN_RED=sms=0;calls=0,20m,40m;busy=5m;lead=60m;quiet=ignore}.
 * Keys left out keep the default plan's value. Durations: 90s, 20m, 2h (or ISO-8601).
 */
final class RetryPlanSetting {
    private RetryPlanSetting() {}

    static RetryPlan parse(String key, String text, RetryPlan base) {
        List<Duration> sms = base.smsAt();
        List<Duration> calls = base.callsAt();
        Duration busy = base.busyRetry();
        Duration lead = base.escalationLead();
        boolean ignoreQuiet = base.ignoresQuietHours();
        for (String part : text.split(";")) {
            if (part.isBlank()) continue;
            String[] kv = part.split("=", 2);
            if (kv.length != 2) throw bad(key, text, "each part is name=value");
            String v = kv[1].strip();
            switch (kv[0].strip()) {
                case "sms" -> sms = durations(key, text, v);
                case "calls" -> calls = durations(key, text, v);
                case "busy" -> busy = duration(key, text, v);
                case "lead" -> lead = duration(key, text, v);
                case "quiet" -> {
                    if (!v.equals("ignore") && !v.equals("respect")) throw bad(key, text, "quiet is ignore or respect");
                    ignoreQuiet = v.equals("ignore");
                }
                default -> throw bad(key, text, "unknown part '" + kv[0].strip() + "' (sms, calls, busy, lead, quiet)");
            }
        }
        if (calls.isEmpty() && sms.isEmpty()) throw bad(key, text, "a plan needs at least one SMS or call");
        return new RetryPlan(sms, calls, busy, lead, ignoreQuiet);
    }

    private static List<Duration> durations(String key, String text, String v) {
        List<Duration> out = new ArrayList<>();
        if (v.isEmpty() || v.equals("none")) return out;
        for (String d : v.split(",")) out.add(duration(key, text, d.strip()));
        for (int i = 1; i < out.size(); i++) {
            if (out.get(i).compareTo(out.get(i - 1)) < 0) throw bad(key, text, "offsets must not go backwards");
        }
        return out;
    }

    private static Duration duration(String key, String text, String v) {
        try {
            if (v.equals("0")) return Duration.ZERO;
            if (v.startsWith("P")) return Duration.parse(v);
            long n = Long.parseLong(v.substring(0, v.length() - 1));
            return switch (v.charAt(v.length() - 1)) {
                case 's' -> Duration.ofSeconds(n);
                case 'm' -> Duration.ofMinutes(n);
                case 'h' -> Duration.ofHours(n);
                default -> throw bad(key, text, "'" + v + "' needs a unit: s, m or h");
            };
        } catch (NumberFormatException | java.time.format.DateTimeParseException | StringIndexOutOfBoundsException e) {
            throw bad(key, text, "'" + v + "' is not a duration such as 20m");
        }
    }

    private static ConfigLoader.ConfigException bad(String key, String text, String why) {
        return new ConfigLoader.ConfigException(key + "='" + text + "': " + why);
    }
}
