package org.screening.outreach.intake;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvDialectTest {
    @TempDir
    Path dir;

    @Test
    void utf16IsFoundByItsByteOrderMarkInEitherOrder() throws Exception {
        for (Charset cs : new Charset[] {StandardCharsets.UTF_16LE, StandardCharsets.UTF_16BE}) {
            assertThat(dialect("\uFEFF手机号码\t姓名\n", cs)).isEqualTo(new CsvDialect(StandardCharsets.UTF_16, '\t'));
        }
        assertThat(dialect("手机号码,姓名\n", StandardCharsets.UTF_8).charset()).isEqualTo(StandardCharsets.UTF_8);
        assertThat(dialect("手机号码,姓名\n", Charset.forName("GBK")).charset()).isEqualTo(CsvEncoding.GB18030);
    }

    /** Title rows (the list's name, its export date) have no delimiter; the header under them decides. */
    @Test
    void theFirstLineWithACommaOrTabDecidesTheDelimiter() throws Exception {
        assertThat(dialect("玉林社区重点人员名单\n\n导出时间：2022年4月1日\n手机号码\t姓名\n", StandardCharsets.UTF_8).delimiter())
                .isEqualTo('\t');
        assertThat(dialect("名单\t\t\n手机号码\t备注\n", StandardCharsets.UTF_8).delimiter()).isEqualTo('\t');
        assertThat(dialect("名单\n手机号码,备注\n13800138000,a\tb\n", StandardCharsets.UTF_8).delimiter()).isEqualTo(',');
        assertThat(dialect("手机号码\tA,B\n", StandardCharsets.UTF_8).delimiter()).isEqualTo(',');
        assertThat(dialect("13800138000\n13900139000\n", StandardCharsets.UTF_8).delimiter()).isEqualTo(',');
    }

    private CsvDialect dialect(String text, Charset cs) throws Exception {
        return CsvDialect.of(Files.write(Files.createTempFile(dir, "d", ".csv"), text.getBytes(cs)));
    }
}
