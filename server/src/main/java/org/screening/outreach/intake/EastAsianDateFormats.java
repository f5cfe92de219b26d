package org.screening.outreach.intake;

import java.util.stream.IntStream;
import org.apache.poi.ss.usermodel.BuiltinFormats;
import org.apache.poi.xssf.model.StylesTable;

/**
 * Built-in number formats 27–36 and 50–58 are dates and times in Chinese Excel (and Japanese and Korean: ECMA-376
 * Part 1, 18.8.30), e.g. 31 is yyyy"年"m"月"d"日". A file names them by id alone and POI knows them only as
 * "reserved" or not at all, so their cells would come through as serial numbers such as 44652.3541666667.
 */
final class EastAsianDateFormats {
    /** What the format says beyond "a date" does not matter: such cells are read as ISO date-times anyway. */
    private static final String A_DATE_FORMAT = BuiltinFormats.getBuiltinFormat(22);

    private EastAsianDateFormats() {
    }

    /** Gives those ids a date format where the file itself defines none, so POI's own date check sees them. */
    static void register(StylesTable styles) {
        IntStream.concat(IntStream.rangeClosed(27, 36), IntStream.rangeClosed(50, 58)).forEach(id -> {
            if (styles.getNumberFormatAt((short) id) == null) styles.putNumberFormat((short) id, A_DATE_FORMAT);
        });
    }
}
