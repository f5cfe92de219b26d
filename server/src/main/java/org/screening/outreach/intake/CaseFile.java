package org.screening.outreach.intake;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

/** A spreadsheet of cases read row by row without holding the file in memory. */
public interface CaseFile {

    /** Calls {@code rows} for each non-blank data row, in order. */
    void read(Consumer<CaseSubmission> rows) throws CaseFileException;

    /** XLSX when the file is a ZIP (that is what XLSX is), otherwise CSV. */
    static CaseFile open(Path path) throws CaseFileException {
        try (InputStream in = Files.newInputStream(path)) {
            byte[] magic = in.readNBytes(4);
            if (magic.length == 0) throw new CaseFileException("the file is empty");
            if (magic.length == 4 && magic[0] == 'P' && magic[1] == 'K' && magic[2] == 3 && magic[3] == 4) {
                return new XlsxCaseFile(path);
            }
            return new CsvCaseFile(path);
        } catch (IOException e) {
            throw new CaseFileException("the file cannot be read", e);
        }
    }
}
