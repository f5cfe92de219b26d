package org.screening.outreach.intake;

import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Consumer;
import org.apache.poi.openxml4j.opc.OPCPackage;
import org.apache.poi.openxml4j.opc.PackageAccess;
import org.apache.poi.ss.usermodel.DataFormatter;
import org.apache.poi.ss.usermodel.DateUtil;
import org.apache.poi.ss.util.CellReference;
import org.apache.poi.util.XMLHelper;
import org.apache.poi.xssf.eventusermodel.ReadOnlySharedStringsTable;
import org.apache.poi.xssf.eventusermodel.XSSFReader;
import org.apache.poi.xssf.eventusermodel.XSSFSheetXMLHandler;
import org.apache.poi.xssf.model.StylesTable;
import org.apache.poi.xssf.usermodel.XSSFComment;
import org.xml.sax.InputSource;
import org.xml.sax.XMLReader;

/**
 * The first sheet of an XLSX, read with POI's streaming (SAX) reader so big sheets never sit in memory; title rows
 * above the header skipped ({@link HeaderSearch}).
 */
final class XlsxCaseFile implements CaseFile {
    private static final DateTimeFormatter ISO_LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss");
    private final Path path;

    XlsxCaseFile(Path path) {
        this.path = path;
    }

    @Override
    public void read(Consumer<CaseSubmission> rows) throws CaseFileException {
        try (OPCPackage pkg = OPCPackage.open(path.toFile(), PackageAccess.READ)) {
            XSSFReader reader = new XSSFReader(pkg);
            StylesTable styles = reader.getStylesTable();
            if (styles != null) EastAsianDateFormats.register(styles); // a workbook may come without styles
            ReadOnlySharedStringsTable strings = new ReadOnlySharedStringsTable(pkg);
            Iterator<InputStream> sheets = reader.getSheetsData();
            if (!sheets.hasNext()) throw new CaseFileException("the workbook has no sheet");
            RowCollector collector = new RowCollector(rows);
            try (InputStream sheet = sheets.next()) {
                XMLReader xml = XMLHelper.newXMLReader();
                xml.setContentHandler(new XSSFSheetXMLHandler(styles, null, strings, collector, new PlainFormatter(), false));
                xml.parse(new InputSource(sheet));
            }
            if (collector.failure != null) throw collector.failure;
            if (collector.columns == null) throw collector.header.notFound();
        } catch (CaseFileException | IntakeAbort e) {
            throw e;
        } catch (Exception e) {
            // POI reports a truncated or non-OOXML zip with many exception types, checked and unchecked.
            throw new CaseFileException("the XLSX file is damaged or incomplete: " + e.getMessage(), e);
        }
    }

    /** Numbers as typed (a phone or a 12-digit code, never 1.38E+10), dates as ISO local date-times. */
    private static final class PlainFormatter extends DataFormatter {
        @Override
        public String formatRawCellContents(double value, int formatIndex, String formatString) {
            if (DateUtil.isADateFormat(formatIndex, formatString) && DateUtil.isValidExcelDate(value)) {
                return DateUtil.getLocalDateTime(value).format(ISO_LOCAL);
            }
            return new BigDecimal(Double.toString(value)).stripTrailingZeros().toPlainString();
        }
    }

    private static final class RowCollector implements XSSFSheetXMLHandler.SheetContentsHandler {
        private final Consumer<CaseSubmission> rows;
        private final List<String> cells = new ArrayList<>();
        final HeaderSearch header = new HeaderSearch();
        Columns columns;
        CaseFileException failure;
        private int dataRow;
        private int headerRowNum = -1;

        RowCollector(Consumer<CaseSubmission> rows) {
            this.rows = rows;
        }

        @Override
        public void startRow(int rowNum) {
            cells.clear();
        }

        @Override
        public void endRow(int rowNum) {
            if (failure != null) return;
            if (columns == null) {
                try {
                    columns = header.offer(cells);
                    if (columns != null) headerRowNum = rowNum;
                } catch (CaseFileException e) {
                    failure = e;
                }
                return;
            }
            // Row numbers follow the sheet, so an empty line in the middle still counts like in Excel.
            dataRow = rowNum - headerRowNum;
            if (!Columns.isBlank(cells)) rows.accept(columns.toSubmission(dataRow, new ArrayList<>(cells)));
        }

        @Override
        public void cell(String ref, String formattedValue, XSSFComment comment) {
            if (ref == null) return;
            int col = new CellReference(ref).getCol();
            while (cells.size() < col) cells.add("");
            cells.add(formattedValue);
        }
    }
}
