package org.screening.outreach.campaigns;

import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.poi.openxml4j.opc.OPCPackage;
import org.apache.poi.openxml4j.opc.PackageAccess;
import org.apache.poi.ss.usermodel.DataFormatter;
import org.apache.poi.ss.util.CellReference;
import org.apache.poi.util.XMLHelper;
import org.apache.poi.xssf.eventusermodel.ReadOnlySharedStringsTable;
import org.apache.poi.xssf.eventusermodel.XSSFReader;
import org.apache.poi.xssf.eventusermodel.XSSFSheetXMLHandler;
import org.apache.poi.xssf.usermodel.XSSFComment;
import org.xml.sax.InputSource;
import org.xml.sax.XMLReader;

/** The first sheet of a recipients XLSX through POI's streaming (SAX) reader, so a million rows never sit in memory. */
final class XlsxRecipientFile implements RecipientRows {
    private final Path path;

    XlsxRecipientFile(Path path) {
        this.path = path;
    }

    @Override
    public void read(Sink sink) throws RecipientFileException {
        try (OPCPackage pkg = OPCPackage.open(path.toFile(), PackageAccess.READ)) {
            XSSFReader reader = new XSSFReader(pkg);
            Iterator<InputStream> sheets = reader.getSheetsData();
            if (!sheets.hasNext()) throw new RecipientFileException("the workbook has no sheet");
            Rows rows = new Rows(sink);
            try (InputStream sheet = sheets.next()) {
                XMLReader xml = XMLHelper.newXMLReader();
                xml.setContentHandler(new XSSFSheetXMLHandler(reader.getStylesTable(), null,
                        new ReadOnlySharedStringsTable(pkg), rows, new PlainNumbers(), false));
                xml.parse(new InputSource(sheet));
            }
            if (rows.failure != null) throw rows.failure;
            if (rows.layout == null) {
                throw rows.titleRows > 0 ? PhoneColumn.noPhoneColumn() : new RecipientFileException("the sheet has no rows");
            }
        } catch (RecipientFileException e) {
            throw e;
        } catch (Exception e) {
            // POI reports a truncated or non-OOXML zip with many exception types, checked and unchecked.
            throw new RecipientFileException("the XLSX file is damaged or incomplete: " + e.getMessage(), e);
        }
    }

    /** A phone typed as a number stays 13800138000, never 1.38E+10. */
    private static final class PlainNumbers extends DataFormatter {
        @Override
        public String formatRawCellContents(double value, int formatIndex, String formatString) {
            return new BigDecimal(Double.toString(value)).stripTrailingZeros().toPlainString();
        }
    }

    private static final class Rows implements XSSFSheetXMLHandler.SheetContentsHandler {
        private final Sink sink;
        private final List<String> cells = new ArrayList<>();
        PhoneColumn.Layout layout;
        int titleRows;
        RecipientFileException failure;
        private int firstRowNum = -1;

        Rows(Sink sink) {
            this.sink = sink;
        }

        @Override
        public void startRow(int rowNum) {
            cells.clear();
        }

        @Override
        public void endRow(int rowNum) {
            if (failure != null) return;
            if (layout == null) {
                if (PhoneColumn.isBlank(cells)) return;
                try {
                    layout = PhoneColumn.Layout.of(cells, titleRows);
                } catch (RecipientFileException e) {
                    failure = e;
                    return;
                }
                if (layout == null) {
                    titleRows++;
                    return;
                }
                // Row numbers follow the sheet, so an empty line in the middle still counts like in Excel.
                firstRowNum = layout.firstRowIsData() ? rowNum - 1 : rowNum;
                if (!layout.firstRowIsData()) return;
            }
            if (!PhoneColumn.isBlank(cells)) sink.row(rowNum - firstRowNum, PhoneColumn.cell(cells, layout.column()));
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
