package org.screening.outreach.ledger.export;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import org.screening.outreach.domain.DailyReport;

/**
 * The daily report (每日报告) as one XLSX sheet: a row per child jurisdiction and a total row (合计), the same
 * figures as the JSON answer under Chinese headers. A report has at most a few hundred rows, so it is built in memory.
 */
public final class DailyReportSheet {
    public static final List<Column> COLUMNS = List.of(
            new Column("区划代码", "jurisdiction", 14),
            new Column("当日接收", "received", 10),
            new Column("按时联系上", "reachedInTime", 12),
            new Column("转敲门核查", "escalated", 12),
            new Column("超时未联系上", "overdue", 14),
            new Column("当日核实", "verified", 10),
            new Column("当日销号", "closed", 10),
            new Column("转出外地", "transfersSent", 10),
            new Column("1小时内确认接收", "transfersAcknowledged", 16),
            new Column("转出未确认报专班", "transfersEscalated", 18));
    public static final String TOTAL = "合计";

    private DailyReportSheet() {}

    public static byte[] xlsx(DailyReport report) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (TableWriter table = TableWriter.open(ExportFormat.XLSX, out, "每日报告 " + report.date(), COLUMNS)) {
            for (DailyReport.Row r : report.rows()) table.row(cells(r.jurisdiction(), r));
            table.row(cells(TOTAL, report.total()));
            table.finish();
        } catch (IOException e) {
            throw new UncheckedIOException("writing the daily report to memory", e);
        }
        return out.toByteArray();
    }

    /** {@code daily-report-510104-2022-04-01.xlsx} ({@code all} for the whole deployment). */
    public static String fileName(DailyReport report) {
        return "daily-report-" + (report.jurisdiction().isEmpty() ? "all" : report.jurisdiction()) + "-" + report.date()
                + ".xlsx";
    }

    private static List<Object> cells(String first, DailyReport.Row r) {
        return Arrays.asList(first, r.received(), r.reachedInTime(), r.escalated(), r.overdue(), r.verified(), r.closed(),
                r.transfersSent(), r.transfersAcknowledged(), r.transfersEscalated());
    }
}
