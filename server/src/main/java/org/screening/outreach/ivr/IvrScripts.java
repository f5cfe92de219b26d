package org.screening.outreach.ivr;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Every script of the {@code ivr-scripts/} directory, loaded and validated together at start: the first bad file
 * stops the load with its {@link IvrScriptException}. Looked up by script id and language.
 */
public final class IvrScripts {
    private final Map<String, IvrScript> byIdAndLanguage;

    private IvrScripts(Map<String, IvrScript> scripts) {
        this.byIdAndLanguage = Map.copyOf(scripts);
    }

    public static IvrScripts loadDirectory(Path dir) {
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.getFileName().toString().matches(".+\\.ya?ml")).sorted().toList();
        } catch (IOException e) {
            throw new IvrScriptException(dir.toString(), null, "cannot be listed: " + e.getMessage());
        }
        Map<String, IvrScript> scripts = new LinkedHashMap<>();
        for (Path f : files) {
            IvrScript script = ScriptLoader.load(f);
            IvrScript clash = scripts.putIfAbsent(key(script.id(), script.language()), script);
            if (clash != null) {
                throw new IvrScriptException(f.getFileName().toString(), null, "script " + script.id() + " in "
                        + script.language() + " is also defined by " + clash.source());
            }
        }
        return new IvrScripts(scripts);
    }

    public Optional<IvrScript> find(String scriptId, String language) {
        return Optional.ofNullable(byIdAndLanguage.get(key(scriptId, language)));
    }

    /** Every loaded script, by id then language (the console's simulator offers them all). */
    public List<IvrScript> all() {
        return byIdAndLanguage.values().stream()
                .sorted(java.util.Comparator.comparing(IvrScript::id).thenComparing(IvrScript::language)).toList();
    }

    public int size() {
        return byIdAndLanguage.size();
    }

    private static String key(String id, String language) {
        return id + "|" + language;
    }
}
