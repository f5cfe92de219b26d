package org.screening.outreach.ivr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScriptLoaderTest {
    static final Path SCRIPTS = Path.of("..", "ivr-scripts");

    /** A small valid script; each failure test breaks one thing in it. */
    static final String VALID = """
            script: t
            version: 1
            language: zh-CN
            start: hello
            steps:
              - id: hello
                say: { text: "您好，${community}", audio: hello }
                next: ask
              - id: ask
                gather:
                  key: q
                  prompt: "请按1或2"
                  timeout: 5
                  retries: 1
                  answers:
                    "1": { value: "yes", next: bye }
                    "2": { value: "no", next: bye }
                  exhausted: bye
              - id: bye
                hangup: { text: "再见" }
            """;

    static IvrScriptException failure(String yaml) {
        try {
            ScriptLoader.parse(yaml, "t.yaml");
        } catch (IvrScriptException e) {
            return e;
        }
        throw new AssertionError("script was accepted:\n" + yaml);
    }

    @Test
    void shippedScriptsLoad() {
        IvrScripts scripts = IvrScripts.loadDirectory(SCRIPTS);
        assertThat(scripts.size()).isEqualTo(2);
        assertThat(scripts.find("screening-call", "zh-CN")).get().extracting(IvrScript::version).isEqualTo(1);
        assertThat(scripts.find("screening-call", "en")).isPresent();
    }

    @Test
    void validScriptLoads() {
        IvrScript s = ScriptLoader.parse(VALID, "t.yaml");
        assertThat(s.steps()).containsOnlyKeys("hello", "ask", "bye");
        Step.Gather g = (Step.Gather) s.step("ask");
        assertThat(g.maxDigits()).isEqualTo(1);
        assertThat(g.prompt().text()).isEqualTo("请按1或2");
    }

    @Test
    void unknownStepReference() {
        IvrScriptException e = failure(VALID.replace("\"2\": { value: \"no\", next: bye }", "\"2\": { value: \"no\", next: byee }"));
        assertThat(e.file()).isEqualTo("t.yaml");
        assertThat(e.stepId()).isEqualTo("ask");
        assertThat(e).hasMessageContaining("t.yaml").hasMessageContaining("'ask'").hasMessageContaining("unknown step 'byee'");
    }

    @Test
    void unknownStart() {
        assertThat(failure(VALID.replace("start: hello", "start: helo"))).hasMessageContaining("start refers to unknown step 'helo'");
    }

    @Test
    void unreachableStep() {
        IvrScriptException e = failure(VALID + """
                  - id: orphan
                    say: "没人听得到"
                    next: bye
                """);
        assertThat(e.stepId()).isEqualTo("orphan");
        assertThat(e).hasMessageContaining("unreachable");
    }

    @Test
    void loopWithoutExit() {
        // ask → again → ask …: both keys and running out of retries lead back, never to the hangup.
        IvrScriptException e = failure("""
                script: t
                version: 1
                language: en
                start: ask
                steps:
                  - id: ask
                    gather:
                      key: q
                      prompt: "Press 1"
                      timeout: 5
                      retries: 1
                      answers:
                        "1": { value: "yes", next: again }
                      exhausted: again
                  - id: again
                    say: "Once more"
                    next: ask
                  - id: bye
                    hangup: {}
                """.replace("  - id: bye\n    hangup: {}\n", ""));
        assertThat(e).hasMessageContaining("loop without exit");
        assertThat(e.stepId()).isIn("ask", "again");
    }

    @Test
    void loopWithExitIsAccepted() {
        IvrScript s = ScriptLoader.parse("""
                script: t
                version: 1
                language: en
                start: ask
                steps:
                  - id: ask
                    gather:
                      key: q
                      prompt: "Press 1 to hear it again, 2 to finish"
                      timeout: 5
                      retries: 1
                      answers:
                        "1": { value: "again", next: again }
                        "2": { value: "done", next: bye }
                      exhausted: bye
                  - id: again
                    say: "Once more"
                    next: ask
                  - id: bye
                    hangup: {}
                """, "t.yaml");
        assertThat(s.steps()).hasSize(3);
    }

    @Test
    void loopThatNeverWaitsForKeys() {
        IvrScriptException spin = failure("""
                script: t
                version: 1
                language: en
                start: a
                steps:
                  - id: a
                    say: "A"
                    next: b
                  - id: b
                    branch: { key: k, cases: { "done": bye }, otherwise: set }
                  - id: set
                    record: { key: k, value: "x" }
                    next: a
                  - id: bye
                    hangup: {}
                """);
        assertThat(spin).hasMessageContaining("never waits for keypad input");
    }

    @Test
    void missingFields() {
        assertThat(failure(VALID.replace("      timeout: 5\n", ""))).hasMessageContaining("'ask'")
                .hasMessageContaining("gather.timeout is missing");
        assertThat(failure(VALID.replace("    next: ask\n", ""))).hasMessageContaining("'hello'")
                .hasMessageContaining("next is missing");
        assertThat(failure(VALID.replace("      exhausted: bye\n", ""))).hasMessageContaining("gather.exhausted is missing");
        assertThat(failure(VALID.replace("version: 1\n", ""))).hasMessageContaining("version is missing");
        assertThat(failure(VALID.replace("  - id: bye\n", "  - \n"))).hasMessageContaining("has no id");
        assertThat(failure(VALID.replace("      key: q\n", ""))).hasMessageContaining("gather.key is missing");
    }

    @Test
    void duplicateIds() {
        IvrScriptException e = failure(VALID + """
                  - id: ask
                    say: "again"
                    next: bye
                """);
        assertThat(e.stepId()).isEqualTo("ask");
        assertThat(e).hasMessageContaining("duplicate step id");
    }

    @Test
    void typosAndWrongTypesAreRefused() {
        assertThat(failure(VALID.replace("timeout: 5", "tiemout: 5"))).hasMessageContaining("unknown field(s) [tiemout]");
        assertThat(failure(VALID.replace("timeout: 5", "timeout: soon"))).hasMessageContaining("whole number");
        assertThat(failure(VALID.replace("timeout: 5", "timeout: 600"))).hasMessageContaining("between 1 and 60");
        assertThat(failure(VALID.replace("value: \"yes\"", "value: true"))).hasMessageContaining("boolean; quote it");
        assertThat(failure(VALID.replace("hangup: { text: \"再见\" }", "say: \"再见\"\n    hangup: {}")))
                .hasMessageContaining("exactly one of");
        assertThat(failure(VALID.replace("\"1\": { value", "\"x\": { value"))).hasMessageContaining("not keypad input");
    }

    /** '#' ends the entry on both providers (Twilio's finishOnKey, Asterisk's GET DATA): no callee can key it. */
    @Test
    void anAnswerKeyWithTheFinishKeyIsRefused() {
        assertThat(failure(VALID.replace("\"2\": { value", "\"#\": { value"))).hasMessageContaining("'#'")
                .hasMessageContaining("step 'ask'");
        assertThat(failure(VALID.replace("\"2\": { value", "\"2#\": { value"))).hasMessageContaining("'#'");
        ScriptLoader.parse(VALID.replace("\"2\": { value", "\"*\": { value"), "t.yaml");
    }

    @Test
    void unknownVariable() {
        assertThat(failure(VALID.replace("${community}", "${comunity}"))).hasMessageContaining("'hello'")
                .hasMessageContaining("unknown variable ${comunity}");
    }

    @Test
    void audioTakesOnlyTheCommunityCodeAndFileNames() {
        assertThat(failure(VALID.replace("audio: hello", "audio: \"hello&communities/${community}\"")))
                .hasMessageContaining("'hello'").hasMessageContaining("unknown variable ${community}");
        assertThat(failure(VALID.replace("audio: hello", "audio: hello.wav"))).hasMessageContaining("without extension");
        assertThat(failure(VALID.replace("audio: hello", "audio: \"hello&&bye\""))).hasMessageContaining("joined by &");
        assertThat(ScriptLoader.parse(VALID.replace("audio: hello", "audio: \"hello&communities/${community_code}\""),
                "t.yaml").steps()).isNotEmpty();
    }

    /** The apology said when the server cannot go on: optional, a fixed sentence with fixed recordings. */
    @Test
    void theApologyIsOptionalAndHasNoVariables() {
        assertThat(ScriptLoader.parse(VALID, "t.yaml").apology()).isNull();
        String with = VALID.replace("steps:\n", "apology: { text: \"对不起\", audio: sorry }\nsteps:\n");
        assertThat(ScriptLoader.parse(with, "t.yaml").apology()).isEqualTo(new Prompt("对不起", "sorry"));
        assertThat(failure(with.replace("对不起", "对不起，${community}"))).hasMessageContaining("apology cannot use variables");
        assertThat(failure(with.replace("audio: sorry", "audio: \"communities/${community_code}\"")))
                .hasMessageContaining("apology audio");
        assertThat(failure(with.replace("audio: sorry", "audio: sorry.wav"))).hasMessageContaining("apology audio");
        IvrScripts shipped = IvrScripts.loadDirectory(SCRIPTS);
        assertThat(shipped.find("screening-call", "zh-CN").orElseThrow().apology().audio())
                .isEqualTo("screening-call/zh-CN/apology");
        assertThat(shipped.find("screening-call", "en").orElseThrow().apology().text()).startsWith("Sorry");
    }

    @Test
    void branchOnKeyNobodyRecords() {
        IvrScriptException e = failure(VALID.replace("next: bye }\n        \"2\"", "next: check }\n        \"2\"") + """
                  - id: check
                    branch: { key: travel, cases: { "yes": bye }, otherwise: bye }
                """);
        assertThat(e.stepId()).isEqualTo("check");
        assertThat(e).hasMessageContaining("no step records");
    }

    @Test
    void badYamlNamesTheFile() {
        assertThat(failure("script: [unclosed")).hasMessageStartingWith("t.yaml: is not valid YAML");
        assertThat(failure(VALID.replace("language: zh-CN\n", "language: zh-CN\nlanguage: en\n")))
                .hasMessageContaining("Duplicate field 'language'");
    }

    @Test
    void aBadFileStopsTheDirectoryLoad(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("good.yaml"), VALID);
        Files.writeString(dir.resolve("bad.yaml"), VALID.replace("next: ask", "next: nowhere"));
        assertThatThrownBy(() -> IvrScripts.loadDirectory(dir)).isInstanceOf(IvrScriptException.class)
                .hasMessageStartingWith("bad.yaml: step 'hello'");
    }
}
