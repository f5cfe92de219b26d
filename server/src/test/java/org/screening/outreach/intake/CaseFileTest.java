package org.screening.outreach.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.OutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CaseFileTest {
    static final String HEADER_ZH = "外部编号,姓名,手机号码,证件号码,风险类别,所属社区,推送时间";

    @TempDir
    Path dir;

    @Test
    void readsGbkAsExcelOnChineseWindowsWritesIt() throws Exception {
        Path f = write("gbk.csv", HEADER_ZH + "\r\nA1,张三,13800138000,,红码,510104001001,2022-04-01 08:30\r\n",
                Charset.forName("GBK"), false);
        List<CaseSubmission> rows = read(f);
        assertThat(rows).singleElement().satisfies(r -> {
            assertThat(r.name()).isEqualTo("张三");
            assertThat(r.category()).isEqualTo("红码");
            assertThat(r.row()).isEqualTo(1);
        });
    }

    @Test
    void readsUtf8WithAndWithoutBom() throws Exception {
        String text = HEADER_ZH + "\nA1,李四,13800138000,,黄码,510104001001,\n";
        for (boolean bom : new boolean[] {true, false}) {
            List<CaseSubmission> rows = read(write("u" + bom + ".csv", text, StandardCharsets.UTF_8, bom));
            assertThat(rows).extracting(CaseSubmission::externalId, CaseSubmission::name)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("A1", "李四"));
        }
    }

    @Test
    void englishHeadersInAnyOrderAndQuotedCommas() throws Exception {
        Path f = write("en.csv", "phone,category,jurisdiction,externalId,name,extra\n"
                + "13800138000,RED,510104001001,A1,\"Zhang, San\",ignored\n"
                + "13900139000,YELLOW,510104001001,A2,\"<script>alert(1)</script>\",x\n", StandardCharsets.UTF_8, false);
        List<CaseSubmission> rows = read(f);
        assertThat(rows).extracting(CaseSubmission::name).containsExactly("Zhang, San", "<script>alert(1)</script>");
        assertThat(rows.get(0).jurisdiction()).isEqualTo("510104001001");
    }

    @Test
    void languageColumnIsReadUnderItsChineseOrEnglishNameAndEmptyWhenAbsent() throws Exception {
        Path zh = write("lang-zh.csv", HEADER_ZH + ",语言\nA1,张三,13800138000,,红码,510104001001,,英文\n",
                StandardCharsets.UTF_8, false);
        assertThat(read(zh)).extracting(CaseSubmission::language).containsExactly("英文");
        Path en = write("lang-en.csv", "language,phone,category,jurisdiction,externalId\nen-US,13800138000,RED,510104001001,A1\n",
                StandardCharsets.UTF_8, false);
        assertThat(read(en)).extracting(CaseSubmission::language).containsExactly("en-US");
        Path none = write("lang-none.csv", HEADER_ZH + "\nA1,张三,13800138000,,红码,510104001001,\n",
                StandardCharsets.UTF_8, false);
        assertThat(read(none)).extracting(CaseSubmission::language).containsExactly("");
    }

    @Test
    void rowNumbersCountDataRowsFromOneAndBlankLinesAreSkipped() throws Exception {
        Path f = write("blank.csv", HEADER_ZH + "\nA1,张三,13800138000,,红码,510104001001,\n,,,,,,\nA3,王五,13900139000,,红码,510104001001,\n",
                StandardCharsets.UTF_8, false);
        assertThat(read(f)).extracting(CaseSubmission::row).containsExactly(1, 3);
    }

    @Test
    void emptyFileAndMissingColumnsAreClearErrors() throws Exception {
        assertThatThrownBy(() -> CaseFile.open(write("empty.csv", "", StandardCharsets.UTF_8, false)))
                .isInstanceOf(CaseFileException.class).hasMessageContaining("empty");
        Path noPhone = write("nophone.csv", "外部编号,姓名,风险类别\nA1,张三,红码\n", StandardCharsets.UTF_8, false);
        assertThatThrownBy(() -> read(noPhone)).isInstanceOf(CaseFileException.class)
                .hasMessageContaining("手机号码/phone").hasMessageContaining("所属社区/jurisdiction")
                .hasMessageNotContaining("外部编号/externalId");
    }

    @Test
    void headerOnlyFileHasNoRows() throws Exception {
        assertThat(read(write("h.csv", HEADER_ZH + "\n", StandardCharsets.UTF_8, false))).isEmpty();
    }

    @Test
    void unterminatedQuoteIsAFileError() throws Exception {
        Path f = write("q.csv", HEADER_ZH + "\nA1,\"张三,13800138000,,红码,510104001001,\n", StandardCharsets.UTF_8, false);
        assertThatThrownBy(() -> read(f)).isInstanceOf(CaseFileException.class).hasMessageContaining("CSV");
    }

    /** Excel's "Unicode text" save: UTF-16 with a byte-order mark (either byte order), tab-separated. */
    @Test
    void readsUtf16WithItsByteOrderMarkAndTabSeparatedFiles() throws Exception {
        String tsv = HEADER_ZH.replace(',', '\t') + "\r\nA1\t张三\t13800138000\t\t红码\t510104001001\t2022-04-01 08:30\r\n"
                + "A2\t\"王, 五\"\t13900139000\t\t黄码\t510104001001\t\r\n";
        for (Charset cs : List.of(StandardCharsets.UTF_16LE, StandardCharsets.UTF_16BE, StandardCharsets.UTF_8,
                Charset.forName("GBK"))) {
            String bom = cs.name().startsWith("UTF-16") ? "\uFEFF" : "";
            List<CaseSubmission> rows = read(write("tsv-" + cs.name() + ".txt", bom + tsv, cs, false));
            assertThat(rows).as(cs.name()).extracting(CaseSubmission::externalId, CaseSubmission::name,
                            CaseSubmission::category, CaseSubmission::pushedAt)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("A1", "张三", "红码", "2022-04-01 08:30"),
                            org.assertj.core.groups.Tuple.tuple("A2", "王, 五", "黄码", ""));
        }
        String utf16Csv = "\uFEFF" + HEADER_ZH + "\nA1,张三,13800138000,,红码,510104001001,\n";
        assertThat(read(write("csv16.csv", utf16Csv, StandardCharsets.UTF_16LE, false)))
                .extracting(CaseSubmission::name).containsExactly("张三");
    }

    /** A community's list exported from Excel starts with its name and export date above the header. */
    @Test
    void titleRowsAboveTheHeaderAreSkipped() throws Exception {
        String titled = "玉林社区重点人员名单,,,,,,\n导出时间：2022年4月1日\n\n填表人：李四\n\"（第2批，共3批）\"\n" + HEADER_ZH
                + "\nA1,张三,13800138000,,红码,510104001001,\nA2,李四,13900139000,,黄码,510104001001,\n";
        assertThat(read(write("titled.csv", titled, Charset.forName("GBK"), false)))
                .extracting(CaseSubmission::row, CaseSubmission::externalId)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1, "A1"), org.assertj.core.groups.Tuple.tuple(2, "A2"));
        String tsv = "\uFEFF玉林社区重点人员名单\n导出时间：2022年4月1日\n" + HEADER_ZH.replace(',', '\t')
                + "\nA1\t张三\t13800138000\t\t红码\t510104001001\t\n";
        assertThat(read(write("titled.txt", tsv, StandardCharsets.UTF_16LE, false))).extracting(CaseSubmission::name)
                .containsExactly("张三");

        Path xlsx = dir.resolve("titled.xlsx");
        try (XSSFWorkbook wb = new XSSFWorkbook(); OutputStream out = Files.newOutputStream(xlsx)) {
            Sheet s = wb.createSheet();
            s.createRow(0).createCell(0).setCellValue("玉林社区重点人员名单");
            s.createRow(1).createCell(0).setCellValue("导出时间：2022年4月1日");
            Row h = s.createRow(3);
            String[] header = HEADER_ZH.split(",");
            for (int i = 0; i < header.length; i++) h.createCell(i).setCellValue(header[i]);
            Row r = s.createRow(4);
            for (int i = 0; i < header.length; i++) r.createCell(i).setCellValue("A1,张三,13800138000,,红码,510104001001,".split(",", -1)[i]);
            wb.write(out);
        }
        assertThat(read(xlsx)).singleElement().satisfies(r -> {
            assertThat(r.row()).isEqualTo(1);
            assertThat(r.name()).isEqualTo("张三");
        });
    }

    @Test
    void withoutAHeaderInTheFirstRowsTheErrorNamesTheExpectedColumns() throws Exception {
        Path tooLow = write("low.csv", "标题\n".repeat(HeaderSearch.MAX_TITLE_ROWS + 1) + HEADER_ZH
                + "\nA1,张三,13800138000,,红码,510104001001,\n", StandardCharsets.UTF_8, false);
        assertThatThrownBy(() -> read(tooLow)).isInstanceOf(CaseFileException.class)
                .hasMessageContaining("no header row").hasMessageContaining("外部编号/externalId")
                .hasMessageContaining("手机号码/phone").hasMessageContaining("风险类别/category")
                .hasMessageContaining("所属社区/jurisdiction");
        Path headless = write("headless.csv", "A1,张三,13800138000,,红码,510104001001,\n", StandardCharsets.UTF_8, false);
        assertThatThrownBy(() -> read(headless)).isInstanceOf(CaseFileException.class)
                .hasMessageContaining("no header row").hasMessageContaining("手机号码/phone");
    }

    /**
     * A stray quote makes the rest of the file one field, which commons-csv builds in memory: in a file of hundreds of
     * megabytes that is the node's heap. The read stops once a record passes a million characters, naming its line.
     */
    @Test
    void anUnclosedQuoteInABigFileStopsTheReadEarlyNamingItsLine() throws Exception {
        Path f = dir.resolve("stray-quote.csv");
        try (var w = Files.newBufferedWriter(f, StandardCharsets.UTF_8)) {
            w.write("玉林社区重点人员名单\n" + HEADER_ZH + "\nA1,张三,13800138000,,红码,510104001001,\n");
            w.write("A2,\"李四,13900139000,,红码,510104001001,\n"); // line 4
            for (int i = 0; i < 100_000; i++) w.write("B" + i + ",王五,1370000" + String.format("%04d", i % 10_000) + ",,红码,510104001001,\n");
        }
        assertThat(Files.size(f)).isGreaterThan(3L * RecordLengthGuard.MAX_RECORD_CHARS);
        List<CaseSubmission> rows = new ArrayList<>();
        assertThatThrownBy(() -> CaseFile.open(f).read(rows::add)).isInstanceOf(CaseFileException.class)
                .hasMessageContaining("line 4").hasMessageContaining("never closed")
                .hasMessageContaining(String.valueOf(RecordLengthGuard.MAX_RECORD_CHARS));
        assertThat(rows).extracting(CaseSubmission::externalId).containsExactly("A1");
    }

    @Test
    void xlsxNumbersAreReadAsTypedAndDatesAsIso() throws Exception {
        Path f = dir.resolve("cases.xlsx");
        try (XSSFWorkbook wb = new XSSFWorkbook(); OutputStream out = Files.newOutputStream(f)) {
            Sheet s = wb.createSheet("推送名单");
            Row h = s.createRow(0);
            String[] header = HEADER_ZH.split(",");
            for (int i = 0; i < header.length; i++) h.createCell(i).setCellValue(header[i]);
            CellStyle date = wb.createCellStyle();
            date.setDataFormat(wb.getCreationHelper().createDataFormat().getFormat("yyyy/m/d h:mm"));
            Row r = s.createRow(1);
            r.createCell(0).setCellValue(1001);
            r.createCell(1).setCellValue("张三");
            r.createCell(2).setCellValue(13800138000d);
            r.createCell(4).setCellValue("红码");
            r.createCell(5).setCellValue(510104001001d);
            r.createCell(6).setCellValue(LocalDateTime.of(2022, 4, 1, 8, 30));
            r.getCell(6).setCellStyle(date);
            s.createRow(3).createCell(0).setCellValue("A3"); // row 3 of data, other cells empty
            wb.write(out);
        }
        List<CaseSubmission> rows = read(f);
        assertThat(rows).hasSize(2);
        CaseSubmission first = rows.get(0);
        assertThat(first.externalId()).isEqualTo("1001");
        assertThat(first.phone()).isEqualTo("13800138000");
        assertThat(first.jurisdiction()).isEqualTo("510104001001");
        assertThat(first.idNumber()).isEmpty();
        assertThat(first.pushedAt()).isEqualTo("2022-04-01T08:30:00");
        assertThat(rows.get(1).row()).isEqualTo(3);
    }

    @Test
    void xlsxDatesInChineseExcelsBuiltInAndCustomFormatsAreReadAsDates() throws Exception {
        Path f = dir.resolve("zh-formats.xlsx");
        short[] formats;
        try (XSSFWorkbook wb = new XSSFWorkbook(); OutputStream out = Files.newOutputStream(f)) {
            // 31 年月日, 57 年月, 58 月日 as zh-CN Excel names them: by id only, with no format code in the file.
            formats = new short[] {31, 57, 58, wb.createDataFormat().getFormat("yyyy\"年\"m\"月\"d\"日\"")};
            Sheet s = wb.createSheet();
            String[] header = HEADER_ZH.split(",");
            Row h = s.createRow(0);
            for (int i = 0; i < header.length; i++) h.createCell(i).setCellValue(header[i]);
            for (int i = 0; i < formats.length; i++) {
                CellStyle style = wb.createCellStyle();
                style.setDataFormat(formats[i]);
                Row r = s.createRow(i + 1);
                r.createCell(0).setCellValue("Z" + i);
                r.createCell(6).setCellValue(LocalDateTime.of(2022, 4, 1, 8, 30));
                r.getCell(6).setCellStyle(style);
            }
            assertThat(wb.getStylesSource().getNumberFormatAt((short) 31)).isNull();
            wb.write(out);
        }
        PushedAtParser parser = new PushedAtParser(java.time.ZoneId.of("Asia/Shanghai"));
        assertThat(read(f)).hasSize(formats.length).allSatisfy(r -> {
            assertThat(r.pushedAt()).as("row %d", r.row()).isEqualTo("2022-04-01T08:30:00");
            assertThat(parser.parse(r.pushedAt())).isEqualTo(java.time.Instant.parse("2022-04-01T00:30:00Z"));
        });
    }

    @Test
    void truncatedXlsxIsAFileError() throws Exception {
        Path whole = dir.resolve("whole.xlsx");
        try (XSSFWorkbook wb = new XSSFWorkbook(); OutputStream out = Files.newOutputStream(whole)) {
            Row h = wb.createSheet().createRow(0);
            String[] header = HEADER_ZH.split(",");
            for (int i = 0; i < header.length; i++) h.createCell(i).setCellValue(header[i]);
            wb.write(out);
        }
        byte[] bytes = Files.readAllBytes(whole);
        Path cut = Files.write(dir.resolve("cut.xlsx"), Arrays.copyOf(bytes, bytes.length / 2));
        assertThatThrownBy(() -> read(cut)).isInstanceOf(CaseFileException.class).hasMessageContaining("XLSX");
    }

    private List<CaseSubmission> read(Path f) throws CaseFileException {
        List<CaseSubmission> rows = new ArrayList<>();
        CaseFile.open(f).read(rows::add);
        return rows;
    }

    private Path write(String name, String text, Charset cs, boolean bom) throws Exception {
        Path f = dir.resolve(name);
        try (OutputStream out = Files.newOutputStream(f)) {
            if (bom) out.write(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
            out.write(text.getBytes(cs));
        }
        return f;
    }
}
