package org.screening.outreach.web.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Every text of the console exists in Chinese and in English: a key missing in one shows as its raw name. */
class MessageBundlesTest {
    @Test
    void bothLanguagesHaveTheSameKeys() throws IOException {
        Set<String> zh = keys("pages/console/messages_zh.properties");
        Set<String> en = keys("pages/console/messages_en.properties");
        assertThat(new TreeSet<>(zh)).as("keys only in Chinese").isEqualTo(new TreeSet<>(en));
        assertThat(zh).hasSizeGreaterThan(100);
    }

    private static Set<String> keys(String path) throws IOException {
        try (InputStream in = MessageBundlesTest.class.getClassLoader().getResourceAsStream(path)) {
            assertThat(in).as(path).isNotNull();
            Properties p = new Properties();
            p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
            return p.stringPropertyNames();
        }
    }
}
