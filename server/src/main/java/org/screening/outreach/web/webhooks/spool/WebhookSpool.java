package org.screening.outreach.web.webhooks.spool;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Callbacks kept on local disk while the database cannot take them: one file per callback, named so that names
 * sort in arrival order ({@code <arrival millis>-<sequence>-<process>.json}). A file is written to a hidden temporary
 * name, forced to disk and renamed into place, so a crash leaves either the whole callback or none. Unreadable files
 * are moved to {@code failed/} for an operator to look at (and move back once fixed). Files hold the callback as
 * Twilio sent it, phone numbers included: sealed with the deployment's personal-data key (the ID number key) when
 * one is given, readable by the owner only, and deleted once applied. Files of an earlier version, in plain JSON,
 * are still read.
 */
public final class WebhookSpool {
    private static final Logger LOG = LoggerFactory.getLogger(WebhookSpool.class);
    private static final String SUFFIX = ".json";
    private static final String TEMPORARY = ".tmp";

    private final Path dir;
    private final Path failed;
    /** Orders callbacks that arrive in the same millisecond. */
    private final AtomicLong sequence = new AtomicLong();
    /** Tells apart files of processes sharing a directory (two nodes on one disk), so no name is written twice. */
    private final String process = UUID.randomUUID().toString().substring(0, 8);
    private final AtomicInteger waiting = new AtomicInteger();
    /** A listing must not overwrite the count of a file renamed into place while it ran. */
    private final Object counting = new Object();

    /** How a file's text is sealed on disk and opened again ({@link #PLAIN}: not at all). */
    public interface Sealing {
        String seal(String text);

        /** The text again; an unchecked exception when the file cannot be opened (altered, unknown key). */
        String open(String sealed);
    }

    public static final Sealing PLAIN = new Sealing() {
        @Override
        public String seal(String text) {
            return text;
        }

        @Override
        public String open(String sealed) {
            return sealed;
        }
    };

    private final Sealing sealing;

    /** Creates the directories if needed; files left by an earlier run are waiting at once. */
    public WebhookSpool(Path dir) {
        this(dir, PLAIN);
    }

    public WebhookSpool(Path dir, Sealing sealing) {
        this.sealing = sealing;
        this.dir = dir;
        this.failed = dir.resolve("failed");
        try {
            Files.createDirectories(failed);
            removeUnfinished();
            int left = waiting().size();
            if (left > 0) LOG.info("{} spooled webhook callback(s) from an earlier run are waiting in {}", left, dir);
            int aside = count(failed);
            if (aside > 0) LOG.warn("{} webhook callback(s) in {} could not be applied and wait for an operator", aside, failed);
        } catch (IOException e) {
            throw new UncheckedIOException("webhook spool " + dir + " is not usable", e);
        }
    }

    public Path directory() {
        return dir;
    }

    /** Writes the callback durably (on disk when this returns); blocking. */
    public Path write(WebhookCallback callback) throws IOException {
        String name = String.format("%013d-%09d-%s", callback.receivedAt().toEpochMilli(),
                sequence.incrementAndGet() % 1_000_000_000L, process);
        Path temporary = dir.resolve("." + name + TEMPORARY);
        Path target = dir.resolve(name + SUFFIX);
        try (FileChannel out = FileChannel.open(temporary, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                ownerOnly())) {
            ByteBuffer bytes = ByteBuffer.wrap(sealing.seal(new String(callback.toJson(), StandardCharsets.UTF_8))
                    .getBytes(StandardCharsets.UTF_8));
            while (bytes.hasRemaining()) out.write(bytes);
            out.force(true);
        } catch (IOException e) {
            Files.deleteIfExists(temporary);
            throw e;
        }
        synchronized (counting) {
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
            waiting.incrementAndGet();
        }
        forceDirectory(dir);
        return target;
    }

    /** The callbacks waiting, oldest first; also brings the count up to date (an operator may have moved files in). */
    public List<Path> waiting() throws IOException {
        synchronized (counting) {
            List<Path> files = list(dir);
            waiting.set(files.size());
            return files;
        }
    }

    /** How many callbacks wait, as of the last write, replay or listing. */
    public int waitingCount() {
        return waiting.get();
    }

    public boolean hasWaiting() {
        return waiting.get() > 0;
    }

    /** The callback a file holds; IllegalArgumentException for a damaged file, NoSuchFileException once it is gone. */
    public WebhookCallback read(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        if (text.startsWith("{")) return WebhookCallback.fromJson(text.getBytes(StandardCharsets.UTF_8)); // plain JSON
        try {
            return WebhookCallback.fromJson(sealing.open(text.strip()).getBytes(StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (RuntimeException e) { // altered, or sealed under a key no longer configured
            throw new IllegalArgumentException("spooled callback cannot be opened: " + e.getMessage(), e);
        }
    }

    /** The callback was applied: its file goes. */
    public void applied(Path file) throws IOException {
        if (Files.deleteIfExists(file)) gone();
    }

    /** The callback cannot be applied: its file moves to {@code failed/}. */
    public void setAside(Path file) throws IOException {
        try {
            Files.move(file, failed.resolve(file.getFileName()), StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException e) { // set aside before by a process sharing the directory
            Files.deleteIfExists(file);
        } catch (NoSuchFileException e) {
            return; // taken by a process sharing the directory
        }
        gone();
    }

    private void gone() {
        waiting.updateAndGet(n -> Math.max(0, n - 1));
    }

    /** Temporary files of writes a crash interrupted: their request was never answered as received. */
    private void removeUnfinished() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.filter(p -> p.getFileName().toString().endsWith(TEMPORARY)).toList()) Files.deleteIfExists(p);
        }
    }

    private static List<Path> list(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> {
                String name = p.getFileName().toString();
                return name.endsWith(SUFFIX) && !name.startsWith(".") && Files.isRegularFile(p);
            }).sorted(Comparator.comparing(p -> p.getFileName().toString())).toList();
        }
    }

    private static int count(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return (int) s.filter(Files::isRegularFile).count();
        }
    }

    private FileAttribute<?>[] ownerOnly() {
        if (!dir.getFileSystem().supportedFileAttributeViews().contains("posix")) return new FileAttribute<?>[0];
        return new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))};
    }

    /** Makes the rename itself durable; a file system that cannot sync a directory is left to its own devices. */
    private static void forceDirectory(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            LOG.debug("directory {} not synced: {}", dir, e.toString());
        }
    }
}
