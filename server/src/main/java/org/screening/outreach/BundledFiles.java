package org.screening.outreach;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Where the IVR scripts and SMS templates are read from: the configured directory; else the repository's own
 * folder when the server runs from a checkout; else the copy packed into the jar, unpacked under the data dir
 * (the loaders read plain files, and a jar run from anywhere must still start).
 */
final class BundledFiles {
    private BundledFiles() {}

    static Path directory(String name, String configuredKey, String configured, Path dataDir) {
        if (configured != null) {
            Path p = Path.of(configured);
            if (!Files.isDirectory(p)) throw new IllegalStateException(configuredKey + " " + p + " is not a directory");
            return p;
        }
        Path checkout = Path.of(name);
        if (Files.isDirectory(checkout)) return checkout;
        URL url = BundledFiles.class.getClassLoader().getResource("bundled/" + name);
        if (url == null) throw new IllegalStateException("no " + name + " directory; set " + configuredKey);
        Path target = dataDir.resolve("bundled").resolve(name);
        try {
            URI uri = url.toURI();
            if ("jar".equals(uri.getScheme())) {
                try (FileSystem jar = openJar(uri)) {
                    copy(jar.getPath("bundled", name), target);
                }
            } else {
                copy(Path.of(uri), target);
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unpack the bundled " + name, e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static FileSystem openJar(URI uri) throws IOException {
        try {
            return FileSystems.newFileSystem(uri, Map.of());
        } catch (FileSystemAlreadyExistsException e) {
            throw new IllegalStateException("jar file system already open", e);
        }
    }

    /** Replaces {@code target} with the files of {@code source} (one level: scripts and templates are flat). */
    private static void copy(Path source, Path target) throws IOException {
        if (Files.isDirectory(target)) {
            try (Stream<Path> old = Files.walk(target)) {
                for (Path p : old.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
            }
        }
        Files.createDirectories(target);
        try (Stream<Path> files = Files.list(source)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Files.copy(f, target.resolve(f.getFileName().toString()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }
}
