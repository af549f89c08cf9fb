package org.vcj.shell.internal;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.Test;

class CommandLineTest {
    private static final List<Option> SPEC = List.of(Option.value("id"), Option.flag("detach", 'd'),
            Option.repeated("env", 'e'), Option.value("cpus"));

    @Test
    void valuesWithEqualsOrSeparateArgument() {
        CommandLine cl = CommandLine.parse(List.of("--id=a", "--cpus", "2", "-d"), SPEC, -1);
        assertEquals("a", cl.get("id", null));
        assertEquals(2, cl.intValue("cpus", 0));
        assertTrue(cl.has("detach"));
        assertFalse(cl.has("env"));
    }

    @Test
    void repeatedOptionsKeepOrderAndAliasTakesNextArgument() {
        CommandLine cl = CommandLine.parse(List.of("-e", "A=1", "--env=B=2=x", "--env", "C="), SPEC, -1);
        assertEquals(List.of("A=1", "B=2=x", "C="), cl.all("env"));
    }

    @Test
    void doubleDashEndsOptions() {
        CommandLine cl = CommandLine.parse(List.of("ID", "--id=x", "--", "sh", "-c", "--id=y"), SPEC, 1);
        assertEquals(List.of("ID"), cl.positionals());
        assertEquals(List.of("sh", "-c", "--id=y"), cl.command());
        assertTrue(cl.hasSeparator());
    }

    @Test
    void firstPositionalBeyondFixedOnesStartsTheCommand() {
        CommandLine cl = CommandLine.parse(List.of("--id=x", "sh", "-c", "echo hi"), SPEC, 0);
        assertEquals(List.of("sh", "-c", "echo hi"), cl.command());
        assertFalse(cl.hasSeparator());
        CommandLine ex = CommandLine.parse(List.of("sb1", "-d", "ls", "-l"), SPEC, 1);
        assertEquals(List.of("sb1"), ex.positionals());
        assertEquals(List.of("ls", "-l"), ex.command());
    }

    @Test
    void errorsAreUsageErrors() {
        assertEquals("unknown option '--nope'",
                assertThrows(UsageException.class, () -> CommandLine.parse(List.of("--nope"), SPEC, -1)).getMessage());
        assertEquals("unknown option '-x'",
                assertThrows(UsageException.class, () -> CommandLine.parse(List.of("-x"), SPEC, -1)).getMessage());
        assertEquals("option --id needs a value",
                assertThrows(UsageException.class, () -> CommandLine.parse(List.of("--id"), SPEC, -1)).getMessage());
        assertEquals("option --detach takes no value",
                assertThrows(UsageException.class, () -> CommandLine.parse(List.of("--detach=1"), SPEC, -1)).getMessage());
        assertThrows(UsageException.class, () -> CommandLine.parse(List.of("--id=a", "--id=b"), SPEC, -1));
        CommandLine cl = CommandLine.parse(List.of("--cpus=two"), SPEC, -1);
        assertThrows(UsageException.class, () -> cl.intValue("cpus", 0));
    }

    @Test
    void negativeNumbersArePositionals() {
        CommandLine cl = CommandLine.parse(List.of("sb", "-9"), SPEC, -1);
        assertEquals(List.of("sb", "-9"), cl.positionals());
        assertEquals("unexpected argument '-9'", assertThrows(UsageException.class, () -> cl.requirePositionals("ID")).getMessage());
        assertEquals("missing ID", assertThrows(UsageException.class,
                () -> CommandLine.parse(List.of(), SPEC, -1).requirePositionals("ID")).getMessage());
    }
}
