package org.screening.outreach.channels.voice.asterisk;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.screening.outreach.ivr.CallEvent;
import org.screening.outreach.ivr.Conversations;
import org.screening.outreach.ivr.Instruction;
import org.screening.outreach.ivr.IvrEngine;
import org.screening.outreach.ivr.IvrScripts;

/**
 * Which script a call runs (issue 4 item 1): the case's language when a script is loaded in it, else the
 * configured one; and once started, the language the session started in.
 */
class ConversationLanguageTest {
    final InMemoryCallSessions sessions = new InMemoryCallSessions();
    final Conversations conversations = new Conversations(IvrScripts.loadDirectory(AsteriskRig.SCRIPTS), "screening-call",
            "zh-CN", new IvrEngine(AsteriskRig.CLOCK), sessions, AsteriskRig.CLOCK, code -> java.util.Optional.empty());
    /** The script language each reply was rendered for. */
    final List<String> rendered = new ArrayList<>();

    String firstWords(long attemptId, CallEvent event, int seen) {
        Conversations.Reply reply = conversations.handle(attemptId, event, seen, (instructions, events, language) -> {
            rendered.add(language);
            return "";
        }).orElseThrow();
        return reply.instructions().stream().map(i -> i instanceof Instruction.Gather g ? g.prompts().get(0)
                : i).filter(Instruction.Speak.class::isInstance).map(i -> ((Instruction.Speak) i).text()).findFirst().orElse("");
    }

    @Test
    void aCallThatStartedInEnglishStaysEnglishWhateverTheCaseSaysLater() {
        sessions.add(1, "case-1", "John", "en");
        assertThat(firstWords(1, new CallEvent.Started(), 0)).startsWith("Hello, this is the community screening team");
        sessions.changeLanguage(1, "zh-CN");
        assertThat(firstWords(1, CallEvent.keys("1"), 1)).startsWith("Are you in the city now?");
        assertThat(rendered).containsExactly("en", "en");
    }

    @Test
    void aCaseInALanguageWithoutAScriptRunsTheConfiguredOne() {
        sessions.add(2, "case-2", "张三", "fr");
        assertThat(firstWords(2, new CallEvent.Started(), 0)).contains("社区排查专班");
        assertThat(rendered).containsExactly("zh-CN");
    }
}
