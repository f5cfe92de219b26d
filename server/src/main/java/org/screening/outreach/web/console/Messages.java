package org.screening.outreach.web.console;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;

/**
 * The console's texts in one language, from {@code pages/console/messages_<lang>.properties} (UTF-8). Templates
 * call {@code $m.get('key')}; a missing key shows the key itself, so a gap is visible but never breaks a page.
 */
public final class Messages {
    public static final String DEFAULT_LANG = "zh";
    private static final Map<String, Messages> BUNDLES = Map.of("zh", load("zh"), "en", load("en"));
    private final String lang;
    private final Properties texts;

    private Messages(String lang, Properties texts) {
        this.lang = lang;
        this.texts = texts;
    }

    /** The bundle of {@code lang}, or the default (Chinese) one for anything else. */
    public static Messages of(String lang) {
        return BUNDLES.getOrDefault(lang, BUNDLES.get(DEFAULT_LANG));
    }

    public static boolean supported(String lang) {
        return lang != null && BUNDLES.containsKey(lang);
    }

    public String lang() {
        return lang;
    }

    public String get(String key) {
        return texts.getProperty(key, key);
    }

    /** The text of {@code key}, or {@code fallback} when the bundle has none (event types it does not know). */
    public String getOr(String key, String fallback) {
        return texts.getProperty(key, fallback);
    }

    public boolean has(String key) {
        return texts.containsKey(key);
    }

    /** {@code key}'s text with {0}, {1}, … replaced (no MessageFormat: apostrophes in English stay as typed). */
    public String fmt(String key, Object... args) {
        String t = get(key);
        for (int i = 0; i < args.length; i++) t = t.replace("{" + i + "}", String.valueOf(args[i]));
        return t;
    }

    private static Messages load(String lang) {
        String path = "pages/console/messages_" + lang + ".properties";
        try (InputStream in = Messages.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) throw new IllegalStateException(path + " is missing from the classpath");
            Properties p = new Properties();
            p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
            return new Messages(lang, p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
