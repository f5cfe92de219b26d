package org.screening.outreach.ledger.export;

import java.io.IOException;
import java.io.OutputStream;
import java.time.LocalDateTime;
import java.util.List;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.ss.usermodel.Font;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.util.WorkbookUtil;
import org.apache.poi.xssf.streaming.SXSSFSheet;
import org.apache.poi.xssf.streaming.SXSSFWorkbook;

/**
 * An XLSX table through POI's streaming workbook: only the last {@link #WINDOW} rows are in memory, the rest go to
 * a compressed temporary file until {@link #finish()} zips the workbook onto the stream. Past a sheet's row limit the
 * table goes on in a new sheet with the header repeated.
 */
final class XlsxTable implements TableWriter {
    /** Excel's 1,048,576 rows per sheet, header included. */
    static final int MAX_ROWS_PER_SHEET = 1_048_575;
    private static final int WINDOW = 200;
    private final SXSSFWorkbook workbook = new SXSSFWorkbook(WINDOW);
    private final OutputStream out;
    private final String title;
    private final List<Column> columns;
    private final int maxRows;
    private final CellStyle headerStyle;
    private final CellStyle timeStyle;
    private SXSSFSheet sheet;
    private int rowInSheet;

    XlsxTable(OutputStream out, String title, List<Column> columns, int maxRowsPerSheet) {
        this.out = out;
        this.title = title;
        this.columns = columns;
        this.maxRows = maxRowsPerSheet;
        workbook.setCompressTempFiles(true);
        Font bold = workbook.createFont();
        bold.setBold(true);
        headerStyle = workbook.createCellStyle();
        headerStyle.setFont(bold);
        timeStyle = workbook.createCellStyle();
        timeStyle.setDataFormat(workbook.createDataFormat().getFormat("yyyy-mm-dd hh:mm:ss"));
        newSheet();
    }

    private void newSheet() {
        int n = workbook.getNumberOfSheets() + 1;
        sheet = workbook.createSheet(WorkbookUtil.createSafeSheetName(n == 1 ? title : title + " (" + n + ")"));
        Row header = sheet.createRow(0);
        for (int i = 0; i < columns.size(); i++) {
            Cell c = header.createCell(i);
            c.setCellValue(columns.get(i).header());
            c.setCellStyle(headerStyle);
            sheet.setColumnWidth(i, Math.min(255, columns.get(i).width()) * 256);
        }
        sheet.createFreezePane(0, 1);
        rowInSheet = 1;
    }

    @Override
    public void row(List<?> cells) {
        if (rowInSheet >= maxRows) newSheet();
        Row row = sheet.createRow(rowInSheet++);
        for (int i = 0; i < cells.size(); i++) {
            Object v = cells.get(i);
            if (v == null) continue;
            Cell c = row.createCell(i);
            if (v instanceof Number n) {
                c.setCellValue(n.doubleValue());
            } else if (v instanceof LocalDateTime t) {
                c.setCellValue(t);
                c.setCellStyle(timeStyle);
            } else {
                c.setCellValue(v.toString()); // a string cell: never read as a formula, whatever it starts with
            }
        }
    }

    @Override
    public void finish() throws IOException {
        workbook.write(out);
        out.flush();
    }

    @Override
    public void close() throws IOException {
        workbook.close(); // also deletes the temporary files
    }
}
