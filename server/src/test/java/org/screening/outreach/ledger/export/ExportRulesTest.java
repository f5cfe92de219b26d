package org.screening.outreach.ledger.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.Test;

/** Export rules that need no database: the day range, the format, what event data may show, the file writers. */
class ExportRulesTest {
    static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
    static final LocalDate TODAY = LocalDate.of(2022, 4, 10);
    static final Map<String, String> ZH = Map.of("event.STATUS_CHANGED", "状态变更", "field.from", "原状态",
            "field.to", "新状态", "status.NEW", "新接收", "status.CONTACTING", "联系中", "field.note", "备注",
            "field.deadlineAt", "截止时间", "answer.true", "是");
    static final Labels LABELS = (key, fallback) -> ZH.getOrDefault(key, fallback);

    @Test
    void rangesDefaultToTodayAndStayWithinAMonth() {
        assertThat(ExportRange.parse("510104", null, "", TODAY)).isEqualTo(new ExportRange("510104", TODAY, TODAY));
        assertThat(ExportRange.parse("", "2022-04-01", null, TODAY).to()).isEqualTo(LocalDate.of(2022, 4, 1));
        assertThat(ExportRange.parse("", null, "2022-04-03", TODAY).from()).isEqualTo(LocalDate.of(2022, 4, 3));
        ExportRange month = ExportRange.parse("5101", "2022-03-01", "2022-03-31", TODAY);
        assertThat(month.start(ZONE)).hasToString("2022-02-28T16:00:00Z");
        assertThat(month.end(ZONE)).hasToString("2022-03-31T16:00:00Z");
        assertThat(month.fileName(ExportFormat.CSV)).isEqualTo("ledger-5101-2022-03-01-2022-03-31.csv");
        assertThat(ExportRange.parse("", null, null, TODAY).fileName(ExportFormat.XLSX))
                .isEqualTo("ledger-all-2022-04-10-2022-04-10.xlsx");

        assertProblem(() -> ExportRange.parse("", "2022-03-01", "2022-04-01", TODAY), ExportRange.Problem.TOO_LONG, "31 days");
        assertProblem(() -> ExportRange.parse("", "2022-04-02", "2022-04-01", TODAY), ExportRange.Problem.ORDER, "after");
        assertProblem(() -> ExportRange.parse("", "2022-4-1", null, TODAY), ExportRange.Problem.DATE, "from must be a day");
        assertProblem(() -> ExportRange.parse("", null, "yesterday", TODAY), ExportRange.Problem.DATE, "to must be a day");
        assertProblem(() -> ExportRange.parse("51A", null, null, TODAY), ExportRange.Problem.JURISDICTION, "12 digits");
    }

    private static void assertProblem(Runnable r, ExportRange.Problem problem, String message) {
        assertThatThrownBy(r::run).isInstanceOfSatisfying(ExportRange.Invalid.class,
                e -> assertThat(e.problem()).isEqualTo(problem)).hasMessageContaining(message);
    }

    @Test
    void formatFromTheParameterElseTheAcceptHeader() {
        assertThat(ExportFormat.parse("CSV", null)).contains(ExportFormat.CSV);
        assertThat(ExportFormat.parse("xlsx", "text/csv")).contains(ExportFormat.XLSX);
        assertThat(ExportFormat.parse(null, "text/csv, */*")).contains(ExportFormat.CSV);
        assertThat(ExportFormat.parse("", null)).contains(ExportFormat.XLSX);
        assertThat(ExportFormat.parse("pdf", null)).isEmpty();
    }

    @Test
    void eventDataInWordsWithNumbersOfPeopleMasked() {
        EventText text = new EventText(LABELS, ZONE);
        assertThat(text.title("STATUS_CHANGED")).isEqualTo("状态变更");
        assertThat(text.title("SOMETHING_NEW")).isEmpty();
        assertThat(text.details(Map.of("from", "NEW", "to", "CONTACTING", "attempt", 17, "seq", 3)))
                .isEqualTo("原状态: 新接收；新状态: 联系中");
        assertThat(text.details(Map.of("deadlineAt", "2022-04-01T03:00:00Z", "smsCapable", true, "odd", "x")))
                .isEqualTo("截止时间: 2022-04-01 11:00:00；odd: x；smsCapable: 是");
        // A note typed by staff: phone and ID number masked wherever they stand; short numbers stay.
        assertThat(text.details(Map.of("note", "tel13912345678, 身份证510104199001011234 3号楼")))
                .isEqualTo("备注: tel*******5678, 身份证**************1234 3号楼");
        // Division codes where they are expected, and ids, stay whole; a mobile number in their place does not.
        assertThat(text.details(Map.of("to", "500103000000", "peer", "5001", "matchedCaseId", "01M84GSPZMCWDZCHMS8DY5DHAP")))
                .isEqualTo("matchedCaseId: 01M84GSPZMCWDZCHMS8DY5DHAP；peer: 5001；新状态: 500103000000");
        assertThat(text.details(Map.of("jurisdiction", "13912345678", "externalId", "510104199001011234")))
                .isEqualTo("externalId: **************1234；jurisdiction: *******5678");
        assertThat(text.actor("token:社区13912345678")).isEqualTo("token:社区*******5678");
    }

    @Test
    void csvCellsThatLookLikeFormulasStayText() {
        assertThat(CsvTable.text("=HYPERLINK(\"x\")")).isEqualTo("'=HYPERLINK(\"x\")");
        assertThat(CsvTable.text("+86")).isEqualTo("'+86");
        assertThat(CsvTable.text("-1")).isEqualTo("'-1");
        assertThat(CsvTable.text("@a")).isEqualTo("'@a");
        assertThat(CsvTable.text("张*")).isEqualTo("张*");
        assertThat(CsvTable.text("")).isEmpty();
    }

    @Test
    void aFullSheetGoesOnInANewSheetWithTheHeaderAgain() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<Column> columns = List.of(new Column("编号", "n", 5), new Column("名", "name", 5));
        try (XlsxTable t = new XlsxTable(out, "台账", columns, 3)) {
            for (int i = 1; i <= 5; i++) t.row(List.of((long) i, "r" + i));
            t.finish();
        }
        try (XSSFWorkbook wb = new XSSFWorkbook(new ByteArrayInputStream(out.toByteArray()))) {
            assertThat(wb.getNumberOfSheets()).isEqualTo(3);
            assertThat(wb.getSheetAt(0).getSheetName()).isEqualTo("台账");
            assertThat(wb.getSheetAt(1).getSheetName()).isEqualTo("台账 (2)");
            for (int s = 0; s < 3; s++) assertThat(wb.getSheetAt(s).getRow(0).getCell(0).getStringCellValue()).isEqualTo("编号");
            assertThat(wb.getSheetAt(0).getLastRowNum()).isEqualTo(2);
            assertThat(wb.getSheetAt(2).getRow(1).getCell(0).getNumericCellValue()).isEqualTo(5.0);
            assertThat(wb.getSheetAt(2).getRow(1).getCell(1).getStringCellValue()).isEqualTo("r5");
        }
    }
}
