package org.screening.outreach.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** The files under deploy/ as shipped, found from wherever the tests run (the repository root or server/). */
public final class ShippedFiles {
    private ShippedFiles() {}

    public static Path deploy(String relative) {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.exists(dir.resolve("deploy/docker-compose.yml"))) return dir.resolve("deploy").resolve(relative);
        }
        throw new IllegalStateException("no deploy/docker-compose.yml above " + Path.of("").toAbsolutePath());
    }

    /** A deploy/env/*.env file: KEY=value lines, comments and blank lines left out. */
    public static Map<String, String> env(String file) throws IOException {
        Map<String, String> env = new LinkedHashMap<>();
        for (String line : Files.readAllLines(deploy("env").resolve(file))) {
            int eq = line.indexOf('=');
            if (line.isBlank() || line.startsWith("#") || eq < 0) continue;
            env.put(line.substring(0, eq).strip(), line.substring(eq + 1).strip());
        }
        return env;
    }
}
