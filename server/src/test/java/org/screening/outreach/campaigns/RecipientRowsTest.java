package org.screening.outreach.campaigns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.OutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.xssf.usermodel.XSSFSheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Recipient files: the phone column found by name or a bare list, row numbers, encodings, XLSX number cells. */
class RecipientRowsTest {
    @TempDir
    Path dir;

    List<String> read(Path file) throws Exception {
        List<String> rows = new ArrayList<>();
        RecipientRows.file(file).read((row, phone) -> rows.add(row + ":" + phone));
        return rows;
    }

    Path csv(String text, Charset cs) throws Exception {
        Path p = dir.resolve("r" + System.nanoTime() + ".csv");
        Files.write(p, text.getBytes(cs));
        return p;
    }

    @Test
    void csvWithAChineseHeaderInUtf8WithBomOrGbk() throws Exception {
        String text = "姓名,手机号码\n张三,13800138000\n\n李四,139 0013 9000\n";
        assertThat(read(csv("\uFEFF" + text, StandardCharsets.UTF_8))).containsExactly("1:13800138000", "2:139 0013 9000");
        assertThat(read(csv(text, Charset.forName("GBK")))).containsExactly("1:13800138000", "2:139 0013 9000");
    }

    /** Excel's "Unicode text" export: UTF-16 with a byte-order mark, tab-separated. */
    @Test
    void utf16WithItsByteOrderMarkAndTabSeparatedFiles() throws Exception {
        String text = "姓名\t手机号码\n张三\t13800138000\n李四\t139 0013 9000\n";
        assertThat(read(csv("\uFEFF" + text, StandardCharsets.UTF_16LE))).containsExactly("1:13800138000", "2:139 0013 9000");
        assertThat(read(csv("\uFEFF" + text, StandardCharsets.UTF_16BE))).containsExactly("1:13800138000", "2:139 0013 9000");
        assertThat(read(csv(text, StandardCharsets.UTF_8))).containsExactly("1:13800138000", "2:139 0013 9000");
        assertThat(read(csv(text, Charset.forName("GBK")))).containsExactly("1:13800138000", "2:139 0013 9000");
        // A comma in the first line means commas, even with a tab in a cell.
        assertThat(read(csv("手机号码,备注\n13800138000,a\tb\n", StandardCharsets.UTF_8))).containsExactly("1:13800138000");
    }

    /** Headers as exported lists write them: 手机, 联系方式, a required-field star, a remark in brackets. */
    @Test
    void commonNamesOfThePhoneColumnAreFound() throws Exception {
        for (String header : List.of("手机", "联系方式", "移动电话", "手机号码*", "＊手机号码", "手机号码（必填）", "手机号(必填)",
                "Mobile Phone", "Phone Number", "TEL")) {
            assertThat(read(csv("序号,姓名," + header + "\n1,张三,13800138000\n", StandardCharsets.UTF_8))).as(header)
                    .containsExactly("1:13800138000");
        }
    }

    /** 名单 exports often start with the list's name and date above the header. */
    @Test
    void titleRowsAboveTheHeaderAreSkipped() throws Exception {
        String text = "玉林社区重点人员名单,,\n导出时间：2022年4月1日,,\n\n序号,姓名,手机号码\n1,张三,13800138000\n2,李四,13900139000\n";
        assertThat(read(csv(text, StandardCharsets.UTF_8))).containsExactly("1:13800138000", "2:13900139000");
        assertThat(read(csv(text, Charset.forName("GBK")))).containsExactly("1:13800138000", "2:13900139000");
        Path p = dir.resolve("titled.xlsx");
        try (XSSFWorkbook wb = new XSSFWorkbook(); OutputStream out = Files.newOutputStream(p)) {
            XSSFSheet s = wb.createSheet();
            s.createRow(0).createCell(0).setCellValue("玉林社区重点人员名单");
            Row h = s.createRow(2);
            h.createCell(0).setCellValue("姓名");
            h.createCell(1).setCellValue("手机号码");
            Row d = s.createRow(3);
            d.createCell(0).setCellValue("张三");
            d.createCell(1).setCellValue(13800138000d);
            wb.write(out);
        }
        assertThat(read(p)).containsExactly("1:13800138000");
        // Past a few such rows there is no phone column.
        assertThatThrownBy(() -> read(csv("标题\n".repeat(PhoneColumn.MAX_TITLE_ROWS) + "手机号码\n13800138000\n",
                StandardCharsets.UTF_8))).isInstanceOf(RecipientFileException.class).hasMessageContaining("no phone column");
    }

    /**
     * A stray quote makes the rest of a file one field, which commons-csv builds in memory: in a file of hundreds of
     * megabytes that is the node's heap. The read stops once a record passes a million characters, naming its line.
     */
    @Test
    void anUnclosedQuoteStopsTheReadEarlyNamingItsLine() throws Exception {
        Path p = dir.resolve("stray-quote.csv");
        try (var w = Files.newBufferedWriter(p, StandardCharsets.UTF_8)) {
            w.write("姓名,手机号码\n张三,13800138000\n\"李四,13900139000\n");
            for (int i = 0; i < 200_000; i++) w.write("王五,1370000" + String.format("%04d", i % 10_000) + "\n");
        }
        List<String> rows = new ArrayList<>();
        assertThatThrownBy(() -> RecipientRows.file(p).read((row, phone) -> rows.add(phone)))
                .isInstanceOf(RecipientFileException.class)
                .hasMessageContaining("line 3").hasMessageContaining("never closed");
        // A quote inside a field is a character like any other (commons-csv reads it so): no runaway field.
        Path inches = dir.resolve("inches.csv");
        try (var w = Files.newBufferedWriter(inches, StandardCharsets.UTF_8)) {
            w.write("备注,手机号码\n");
            for (int i = 0; i < 100_000; i++) w.write("屏幕5\"寸,1370000" + String.format("%04d", i % 10_000) + "\n");
        }
        List<String> all = new ArrayList<>();
        RecipientRows.file(inches).read((row, phone) -> all.add(phone));
        assertThat(all).hasSize(100_000);
        // A long record that is not a runaway quote is still read.
        assertThat(read(csv("手机号码,备注\n13800138000,\"" + "长".repeat(200_000) + "\"\n", StandardCharsets.UTF_8)))
                .containsExactly("1:13800138000");
    }

    @Test
    void aBareListOfNumbersIsAllData() throws Exception {
        assertThat(read(csv("13800138000\n13900139000\n", StandardCharsets.UTF_8)))
                .containsExactly("1:13800138000", "2:13900139000");
    }

    @Test
    void aFileWithoutAPhoneColumnIsRefused() throws Exception {
        assertThatThrownBy(() -> read(csv("姓名,地址\n张三,成都\n", StandardCharsets.UTF_8)))
                .isInstanceOf(RecipientFileException.class).hasMessageContaining("no phone column");
        assertThatThrownBy(() -> read(csv("", StandardCharsets.UTF_8))).isInstanceOf(RecipientFileException.class);
    }

    @Test
    void xlsxNumbersStayWholeAndRowsFollowTheSheet() throws Exception {
        Path p = dir.resolve("r.xlsx");
        try (XSSFWorkbook wb = new XSSFWorkbook(); OutputStream out = Files.newOutputStream(p)) {
            XSSFSheet s = wb.createSheet();
            Row h = s.createRow(0);
            h.createCell(0).setCellValue("phone");
            s.createRow(1).createCell(0).setCellValue(13800138000d); // typed as a number in Excel
            s.createRow(3).createCell(0).setCellValue("+86 139-0013-9000"); // row 2 of the sheet left empty
            wb.write(out);
        }
        assertThat(read(p)).containsExactly("1:13800138000", "3:+86 139-0013-9000");
        Path broken = dir.resolve("broken.xlsx");
        Files.write(broken, java.util.Arrays.copyOf(Files.readAllBytes(p), 200));
        assertThatThrownBy(() -> read(broken)).isInstanceOf(RecipientFileException.class);
    }
}
