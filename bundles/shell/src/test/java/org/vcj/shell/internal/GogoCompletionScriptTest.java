package org.vcj.shell.internal;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The complete commands are made from the real verbs: every verb and every option is there. */
class GogoCompletionScriptTest {
    private final VerbDispatcher dispatcher = new VerbDispatcher(new FakeVc(), k -> null, (n, a) -> () -> { });

    @Test
    void everyVerbAndOptionIsCompleted() {
        List<String> lines = GogoCompletionScript.lines(dispatcher.verbs());
        for (Verb v : dispatcher.verbs().values()) {
            if (v.name().equals("help")) continue;
            assertTrue(lines.contains("complete -c vc:" + v.name() + " -e"), v.name());
            for (Option o : v.options()) {
                assertTrue(lines.stream().anyMatch(l -> l.startsWith("complete -c vc:" + v.name() + " ") && l.contains(" -l " + o.name())),
                        "vc:" + v.name() + " --" + o.name());
            }
        }
        assertTrue(lines.contains("complete -c vc:run -s t -l tty -d 'allocate a terminal for CMD'"), String.join("\n", lines));
        assertTrue(lines.contains("complete -c vc:run -l hypervisor -d 'hypervisor plugin: qemu, mock (no VM, no isolation) or any installed "
                + "(default: vcj.hypervisor or qemu)'"), String.join("\n", lines));
        assertFalse(lines.stream().anyMatch(l -> l.contains("vc:help")));
    }

    @Test
    void descriptionsComeFromTheUsageLineOfTheOption() {
        assertEquals("print the sandbox id and leave it running", GogoCompletionScript.description(RunVerb.USAGE, "detach"));
        assertEquals("working directory inside the container (default: /)", GogoCompletionScript.description(RunVerb.USAGE, "workdir"));
        assertEquals("", GogoCompletionScript.description(RunVerb.USAGE, "nonexistent"));
    }
}
