package org.screening.outreach.support;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A program installed on the machine (Debian's haproxy, prometheus, promtool: .ci/run installs them). Looked up on
 * PATH and in the sbin directories, which a non-root PATH often leaves out (haproxy lives in /usr/sbin).
 */
public final class InstalledBinary {
    private InstalledBinary() {}

    public static Optional<Path> find(String name) {
        List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(":")));
        dirs.addAll(List.of("/usr/sbin", "/usr/local/sbin", "/sbin"));
        return dirs.stream().filter(d -> !d.isBlank()).map(d -> Path.of(d, name)).filter(Files::isExecutable).findFirst();
    }

    /** The program, or a failure saying how to install it: a test that needs it does not quietly pass without it. */
    public static Path require(String name, String debianPackage) {
        return find(name).orElseThrow(() -> new IllegalStateException(name + " is not installed: apt-get install "
                + debianPackage + " (.ci/run does this)"));
    }
}
