package org.screening.outreach.campaigns;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The recipients of a campaign as they come: a CSV / XLSX file read row by row (never whole in memory), or the
 * JSON list of the request. Row numbers count data rows from 1, like the case import.
 */
public interface RecipientRows {

    @FunctionalInterface
    interface Sink {
        void row(int row, String phone);
    }

    void read(Sink sink) throws RecipientFileException;

    /** XLSX when the file is a ZIP (that is what XLSX is), otherwise CSV. */
    static RecipientRows file(Path path) throws RecipientFileException {
        try (InputStream in = Files.newInputStream(path)) {
            byte[] magic = in.readNBytes(4);
            if (magic.length == 0) throw new RecipientFileException("the file is empty");
            if (magic.length == 4 && magic[0] == 'P' && magic[1] == 'K' && magic[2] == 3 && magic[3] == 4) {
                return new XlsxRecipientFile(path);
            }
            return new CsvRecipientFile(path);
        } catch (IOException e) {
            throw new RecipientFileException("the file cannot be read", e);
        }
    }

    /** The phones of a JSON request, row i + 1 for element i. */
    static RecipientRows list(List<String> phones) {
        return sink -> {
            for (int i = 0; i < phones.size(); i++) sink.row(i + 1, phones.get(i));
        };
    }
}
