package org.screening.outreach.privacy;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Properties;

/**
 * The ID number keys of a deployment that configures none (the embedded demo default): generated at first start
 * into {@code <data dir>/id-number.keys}, readable by the owner only, and read from there afterwards. Losing the
 * file loses every stored ID number, so a real deployment configures its keys and keeps a copy of them.
 */
public final class IdKeyFile {
    public static final String NAME = "id-number.keys";

    private IdKeyFile() {}

    /** The configured keys if any (key and index key both given), else the data dir's file, made if missing. */
    public static IdNumbers resolve(byte[] key, List<byte[]> oldKeys, byte[] indexKey, Path dataDir) {
        if (key != null) return IdNumbers.of(key, oldKeys, indexKey);
        Path file = dataDir.resolve(NAME);
        try {
            if (!Files.exists(file)) create(file);
            return read(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the ID number key file " + file, e);
        }
    }

    private static IdNumbers read(Path file) throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file)) {
            p.load(r);
        }
        try {
            return IdNumbers.of(decode(p, "key"), List.of(), decode(p, "index"));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("the ID number key file " + file + " is damaged: " + e.getMessage());
        }
    }

    private static byte[] decode(Properties p, String name) {
        String v = p.getProperty(name);
        if (v == null) throw new IllegalArgumentException("no " + name + "=");
        return Base64.getDecoder().decode(v.strip());
    }

    /**
     * Written to a temporary file created owner-only (never readable by others, not even while being written),
     * then renamed into place; a concurrent start that got there first wins and both read its keys.
     */
    private static void create(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        SecureRandom random = new SecureRandom();
        byte[] key = new byte[32];
        byte[] index = new byte[32];
        random.nextBytes(key);
        random.nextBytes(index);
        Base64.Encoder b64 = Base64.getEncoder();
        String text = "# ID number keys of this deployment, generated at first start (see README, Configuration).\n"
                + "# Back this file up with the database: without it the ID numbers stored cannot be read.\n"
                + "key=" + b64.encodeToString(key) + "\nindex=" + b64.encodeToString(index) + "\n";
        Path tmp;
        try {
            tmp = Files.createTempFile(file.getParent(), NAME, ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            tmp = Files.createTempFile(file.getParent(), NAME, ".tmp"); // not POSIX: the data dir's own access rules
        }
        try {
            Files.writeString(tmp, text);
            Files.move(tmp, file);
        } catch (FileAlreadyExistsException e) {
            // another process made it meanwhile: use theirs
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
