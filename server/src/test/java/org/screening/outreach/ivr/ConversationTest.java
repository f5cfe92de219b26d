package org.screening.outreach.ivr;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.screening.outreach.ivr.twiml.TwimlRenderer;

/**
 * Plays the calls described in {@code src/test/resources/ivr/conversations/*.yaml} (in the spirit of
 * nyaruka/mailroom's IVR tests) through the engine and the TwiML renderer, turn by turn: event in → expected
 * words, wait or hang-up, TwiML fragments and answers recorded by that turn; then the call's result. Between
 * turns the session goes through its JSON form, as it does through the database between Twilio webhooks.
 * The file format is described in that directory's README.md.
 */
class ConversationTest {
    static final Path DIR = Path.of("src", "test", "resources", "ivr", "conversations");
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");

    @TestFactory
    Stream<DynamicTest> conversations() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(DIR)) {
            files = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        assertThat(files).hasSizeGreaterThanOrEqualTo(6);
        return files.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> play(f)));
    }

    static void play(Path file) throws IOException {
        JsonNode c = YAML.readTree(file.toFile());
        IvrScript script = ScriptLoader.load(ScriptLoaderTest.SCRIPTS.resolve(c.get("script").asText()));
        LocalDate today = LocalDate.parse(c.get("today").asText());
        Clock clock = Clock.fixed(today.atTime(10, 0).atZone(ZONE).toInstant(), ZONE);
        IvrEngine engine = new IvrEngine(clock);
        JsonNode ctx = c.get("context");
        CallContext context = new CallContext(ctx.path("community").asText(null), ctx.path("name").asText(null));
        TwimlRenderer renderer = TwimlRenderer.forScriptLanguage(script.language());
        String action = c.path("action").asText("/webhooks/twilio/voice/1");

        IvrSession session = IvrSession.start(script);
        Map<String, String> allRecorded = new LinkedHashMap<>();
        int n = 0;
        for (JsonNode t : c.get("turns")) {
            n++;
            String where = file.getFileName() + " turn " + n + " (" + t.get("input").asText() + ")";
            Turn turn = engine.handle(script, session, event(t.get("input").asText()), context);
            checkTurn(where, t, turn, renderer.render(turn.instructions(), action));
            turn.recorded().forEach(r -> allRecorded.put(r.key(), r.value()));
            session = IvrSessionJson.read(IvrSessionJson.write(turn.session()));
            assertThat(session).as(where + ": session survives JSON").isEqualTo(turn.session());
        }
        checkResult(file.getFileName().toString(), c.get("result"), session, allRecorded);
    }

    static CallEvent event(String input) {
        return switch (input) {
            case "start" -> CallEvent.started();
            case "silence" -> CallEvent.silence();
            case "hangup" -> CallEvent.hungUp();
            default -> CallEvent.keys(input);
        };
    }

    static void checkTurn(String where, JsonNode t, Turn turn, String twiml) {
        List<String> spoken = new ArrayList<>();
        for (Instruction i : turn.instructions()) {
            if (i instanceof Instruction.Speak s) spoken.add(s.text());
            if (i instanceof Instruction.Gather g) g.prompts().forEach(p -> spoken.add(p.text()));
        }
        String all = String.join(" | ", spoken);
        int from = 0;
        for (JsonNode say : t.path("says")) {
            int at = all.indexOf(say.asText(), from);
            assertThat(at).as(where + ": expected \"" + say.asText() + "\" (in order) in: " + all).isGreaterThanOrEqualTo(0);
            from = at + say.asText().length();
        }
        for (JsonNode not : t.path("not_says")) assertThat(all).as(where).doesNotContain(not.asText());

        String then = t.get("then").asText();
        List<Instruction> ins = turn.instructions();
        switch (then) {
            case "gather" -> {
                assertThat(ins).as(where + ": " + ins).isNotEmpty();
                assertThat(ins.get(ins.size() - 1)).as(where).isInstanceOf(Instruction.Gather.class);
                Instruction.Gather g = (Instruction.Gather) ins.get(ins.size() - 1);
                if (t.has("gather")) {
                    assertThat(g.maxDigits()).as(where + " max_digits").isEqualTo(t.get("gather").get("max_digits").asInt());
                    assertThat(g.timeoutSeconds()).as(where + " timeout").isEqualTo(t.get("gather").get("timeout").asInt());
                }
                assertThat(turn.ended()).as(where + " ended").isFalse();
            }
            case "hangup" -> {
                assertThat(ins).as(where + ": " + ins).isNotEmpty();
                assertThat(ins.get(ins.size() - 1)).as(where).isInstanceOf(Instruction.Hangup.class);
                assertThat(turn.ended()).as(where + " ended").isTrue();
            }
            case "nothing" -> assertThat(ins).as(where).isEmpty();
            default -> throw new AssertionError(where + ": unknown then: " + then);
        }
        for (JsonNode frag : t.path("twiml")) {
            assertThat(twiml).as(where + " TwiML").contains(frag.asText());
        }
        Map<String, String> recorded = new LinkedHashMap<>();
        turn.recorded().forEach(r -> recorded.put(r.key(), r.value()));
        Map<String, String> expected = new LinkedHashMap<>();
        t.path("recorded").fields().forEachRemaining(e -> expected.put(e.getKey(), e.getValue().asText()));
        assertThat(recorded).as(where + ": answers recorded by this turn").containsExactlyEntriesOf(expected);
    }

    static void checkResult(String where, JsonNode r, IvrSession session, Map<String, String> allRecorded) {
        assertThat(session.answers()).as(where + ": session answers = everything recorded").isEqualTo(allRecorded);
        if (r == null) return;
        IvrResult result = IvrResult.of(session);
        assertThat(result.ended().name()).as(where + " status").isEqualTo(r.get("status").asText());
        assertThat(result.identityConfirmed()).as(where + " identity").isEqualTo(bool(r.get("identity_confirmed")));
        assertThat(result.inCity()).as(where + " in city").isEqualTo(bool(r.get("in_city")));
        assertThat(result.travelLast7Days()).as(where + " travel").isEqualTo(bool(r.get("travel_last_7_days")));
        JsonNode arrival = r.get("arrival_date");
        assertThat(result.arrivalDate()).as(where + " arrival")
                .isEqualTo(arrival == null || arrival.isNull() ? null : LocalDate.parse(arrival.asText()));
        JsonNode code = r.get("health_code");
        assertThat(result.healthCode() == null ? null : result.healthCode().name()).as(where + " health code")
                .isEqualTo(code == null || code.isNull() ? null : code.asText());
        List<String> follow = new ArrayList<>();
        r.get("follow_ups").forEach(f -> follow.add(f.asText()));
        assertThat(result.followUps().stream().map(Enum::name).toList()).as(where + " follow-ups")
                .containsExactlyInAnyOrderElementsOf(follow);
        List<String> flags = new ArrayList<>();
        r.path("flags").forEach(f -> flags.add(f.asText()));
        assertThat(result.flags()).as(where + " flags").containsExactlyInAnyOrderElementsOf(flags);
    }

    static Boolean bool(JsonNode n) {
        return n == null || n.isNull() ? null : n.asBoolean();
    }
}
