package org.screening.outreach.sms;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.velocity.Template;
import org.apache.velocity.VelocityContext;
import org.apache.velocity.app.VelocityEngine;
import org.apache.velocity.exception.ParseErrorException;
import org.apache.velocity.exception.VelocityException;
import org.apache.velocity.runtime.RuntimeConstants;
import org.apache.velocity.runtime.parser.node.ASTReference;
import org.apache.velocity.runtime.parser.node.ASTSetDirective;
import org.apache.velocity.runtime.parser.node.Node;

/**
 * The SMS templates of one directory ({@code <name>.<lang>.vm}, e.g. {@code reminder.RED.zh-CN.vm}), all parsed and
 * checked when loaded so a broken template stops the start instead of failing the first message at night.
 * Checks: Velocity syntax, only the variables the template gets ({@link TemplateVariables#allowedIn}: campaign
 * templates any documented one, reminders only what {@link TemplateVariables#reminder} builds), and a trial render
 * with the sample values of those. Rendering runs in strict reference mode, so a missing variable is an error, never a literal "$name".
 * Thread-safe after construction.
 */
public final class SmsTemplates {
    /** zh-CN is the language every template must have; others are optional translations. */
    public static final String PRIMARY_LANGUAGE = "zh-CN";

    private static final Pattern FILE = Pattern.compile("(.+)\\.([a-z]{2}(?:-[A-Z]{2})?)\\.vm");

    private final VelocityEngine engine;
    /** name → lang → template. */
    private final Map<String, Map<String, Template>> templates;

    private SmsTemplates(VelocityEngine engine, Map<String, Map<String, Template>> templates) {
        this.engine = engine;
        this.templates = templates;
    }

    /** Loads and checks every {@code *.vm} in {@code dir}; throws {@link TemplateException} naming file and line. */
    public static SmsTemplates load(Path dir) {
        VelocityEngine engine = engine(dir);
        Map<String, Map<String, Template>> all = new TreeMap<>();
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.getFileName().toString().endsWith(".vm")).sorted().toList();
        } catch (IOException e) {
            throw new TemplateException(dir.toString(), 0, "cannot list templates: " + e.getMessage(), e);
        }
        for (Path p : files) {
            String file = p.getFileName().toString();
            Matcher m = FILE.matcher(file);
            if (!m.matches()) throw new TemplateException(file, 0, "expected <name>.<lang>.vm, e.g. reminder.RED.zh-CN.vm", null);
            Template t = parse(engine, file);
            Set<String> allowed = TemplateVariables.allowedIn(m.group(1));
            checkReferences(file, (Node) t.getData(), allowed);
            trialRender(t, file, allowed);
            all.computeIfAbsent(m.group(1), k -> new TreeMap<>()).put(m.group(2), t);
        }
        for (var e : all.entrySet()) {
            if (!e.getValue().containsKey(PRIMARY_LANGUAGE)) {
                throw new TemplateException(e.getKey() + "." + PRIMARY_LANGUAGE + ".vm", 0,
                        "missing: every template needs a " + PRIMARY_LANGUAGE + " version", null);
            }
        }
        return new SmsTemplates(engine, Collections.unmodifiableMap(all));
    }

    /** Fails naming the first of {@code names} that has no template in the primary language. */
    public SmsTemplates require(Iterable<String> names) {
        return require(names, List.of(PRIMARY_LANGUAGE));
    }

    /**
     * Fails naming the first template of {@code names} missing in one of {@code languages}: a case reminder must
     * exist in every language a case can have, so none falls back to Chinese at send time.
     */
    public SmsTemplates require(Iterable<String> names, Iterable<String> languages) {
        for (String n : names) {
            for (String lang : languages) {
                if (!languages(n).contains(lang)) throw new TemplateException(n + "." + lang + ".vm", 0, "missing", null);
            }
        }
        return this;
    }

    public Set<String> names() {
        return templates.keySet();
    }

    public Set<String> languages(String name) {
        return templates.getOrDefault(name, Map.of()).keySet();
    }

    /**
     * Renders a template; {@code lang} falls back to zh-CN when that translation does not exist (a reminder in
     * Chinese is better than none). Leading and trailing whitespace (the file's final newline) is dropped.
     */
    public String render(String name, String lang, Map<String, ?> vars) {
        Map<String, Template> byLang = templates.get(name);
        if (byLang == null) throw new IllegalArgumentException("no SMS template " + name + "; have " + names());
        Template t = byLang.getOrDefault(lang, byLang.get(PRIMARY_LANGUAGE));
        return render(t, t.getName(), new HashMap<>(vars));
    }

    /** The template rendered with the documented sample values, for previews and segment counts. */
    public String preview(String name, String lang) {
        return render(name, lang, TemplateVariables.samples());
    }

    private static String render(Template t, String file, Map<String, Object> vars) {
        StringWriter out = new StringWriter();
        try {
            t.merge(new VelocityContext(vars), out);
        } catch (VelocityException e) {
            throw new TemplateException(file, lineOf(e), "render failed: " + e.getMessage(), e);
        }
        return out.toString().strip();
    }

    /** With the sample values of the variables the template gets at send time, and no others. */
    private static void trialRender(Template t, String file, Set<String> allowed) {
        Map<String, Object> vars = new HashMap<>(TemplateVariables.samples());
        vars.keySet().retainAll(allowed);
        render(t, file, vars);
    }

    private static VelocityEngine engine(Path dir) {
        Properties p = new Properties();
        p.setProperty(RuntimeConstants.RESOURCE_LOADERS, "file");
        p.setProperty("resource.loader.file.path", dir.toAbsolutePath().toString());
        p.setProperty("resource.loader.file.cache", "true");
        p.setProperty(RuntimeConstants.INPUT_ENCODING, "UTF-8");
        p.setProperty(RuntimeConstants.RUNTIME_REFERENCES_STRICT, "true");
        // Templates are data from the ops team, not code: no macros from files outside the directory.
        p.setProperty(RuntimeConstants.VM_LIBRARY, "");
        VelocityEngine engine = new VelocityEngine(p);
        engine.init();
        return engine;
    }

    private static Template parse(VelocityEngine engine, String file) {
        try {
            return engine.getTemplate(file, "UTF-8");
        } catch (ParseErrorException e) {
            throw new TemplateException(file, e.getLineNumber(), "syntax error: " + e.getMessage(), e);
        } catch (VelocityException e) {
            throw new TemplateException(file, lineOf(e), e.getMessage(), e);
        }
    }

    /**
     * Walks the syntax tree: every $reference must be one the template gets ({@link TemplateVariables#allowedIn}: a
     * reminder gets no campaign variables) or be set earlier in the same template.
     */
    private static void checkReferences(String file, Node root, Set<String> allowed) {
        Set<String> locals = new HashSet<>();
        walk(file, root, locals, allowed);
    }

    private static void walk(String file, Node node, Set<String> locals, Set<String> allowed) {
        if (node instanceof ASTSetDirective && node.jjtGetNumChildren() > 0
                && node.jjtGetChild(0) instanceof ASTReference target) {
            locals.add(target.getRootString());
        }
        if (node instanceof ASTReference ref) {
            String root = ref.getRootString();
            if (!allowed.contains(root) && !locals.contains(root)) {
                String why = TemplateVariables.DOCUMENTED.contains(root)
                        ? "variable $" + root + " is only for campaign templates; this one gets " + new TreeSet<>(allowed)
                        : "unknown variable $" + root + " (documented: " + new TreeSet<>(allowed) + ")";
                throw new TemplateException(file, ref.getLine(), why, null);
            }
        }
        for (int i = 0; i < node.jjtGetNumChildren(); i++) walk(file, node.jjtGetChild(i), locals, allowed);
    }

    private static int lineOf(VelocityException e) {
        if (e instanceof ParseErrorException p) return p.getLineNumber();
        Matcher m = Pattern.compile("\\[line (\\d+)").matcher(String.valueOf(e.getMessage()));
        return m.find() ? Integer.parseInt(m.group(1)) : 0;
    }
}
