package org.vcj.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import org.vcj.testing.fuzz.FuzzInputs;

/**
 * The conf file ({@code conf/org.vcj.cfg}, or a containerd runtime's config file) fuzzed: every file gives settings
 * that each pass their key's rule, or one typed one-line error ({@link GlobalOptions.UsageError}), within a second.
 */
class VcjSettingsFuzzTest {

    private static final List<String> KEYS = List.of("hypervisor", "storage", "factory", "root", "rootfs", "qemu.path",
            "kernel", "image", "vcpus", "memory");
    private static final List<String> VALUES = List.of("mock", "qemu", "fs", "leveldb", "template", "/run/vcj", "/tmp/x",
            "1", "240", "241", "64", "63", "4096", "0", "qemu ", " /abs", "\\u00", "\\u12G4", "\\", "a\\\nb", "\\n");

    private static Path dir;

    @BeforeContainer
    static void makeDir() throws Exception {
        dir = Files.createTempDirectory("vcj-settings-fuzz-");
    }

    @AfterContainer
    static void removeDir() throws Exception {
        Files.deleteIfExists(dir.resolve(VcjSettings.FILE));
        Files.deleteIfExists(dir);
    }

    @Provide
    Arbitrary<String> files() {
        Arbitrary<String> key = Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(8, Arbitraries.of(KEYS)),
                net.jqwik.api.Tuple.of(2, FuzzInputs.text(List.of())));
        Arbitrary<String> line = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(7, Combinators.combine(key, Arbitraries.of("=", ":", " ", " = ", "\t"), FuzzInputs.text(VALUES))
                        .as((k, sep, v) -> k + sep + v)),
                net.jqwik.api.Tuple.of(1, Arbitraries.of("# comment", "! comment", "", "   ", "\\")),
                net.jqwik.api.Tuple.of(2, FuzzInputs.text(VALUES)));
        return Combinators.combine(line.list().ofMaxSize(8), Arbitraries.of("\n", "\r\n")).as((l, eol) -> String.join(eol, l));
    }

    /** Found by the property: Properties.load threw IllegalArgumentException (an internal error at every vcj start). */
    @Example
    void aMalformedUnicodeEscapeIsAUsageError() throws Exception {
        aConfFileGivesValidSettingsOrATypedError("root=/x\\u12G4");
        aConfFileGivesValidSettingsOrATypedError("hypervisor=\\u00");
    }

    /** Found by the property: an escaped newline in a value made the error two lines. */
    @Example
    void anEscapedNewlineIsShownEscaped() throws Exception {
        aConfFileGivesValidSettingsOrATypedError("vcpus=1\\n2");
        aConfFileGivesValidSettingsOrATypedError("a\\nb=1");
    }

    @Property
    void aConfFileGivesValidSettingsOrATypedError(@ForAll("files") String text) throws Exception {
        Path file = dir.resolve(VcjSettings.FILE);
        Files.write(file, text.getBytes(StandardCharsets.UTF_8));   // unpaired surrogates become ?
        try {
            Map<String, String> settings = FuzzInputs.bounded(1000, () -> VcjSettings.loadFile(file));
            for (Map.Entry<String, String> e : settings.entrySet()) {
                assertTrue(KEYS.contains(e.getKey()), "a known key: " + e.getKey());
                assertEquals(e.getValue().trim(), e.getValue(), "values are trimmed");
            }
        } catch (GlobalOptions.UsageError e) {
            assertTrue(FuzzInputs.oneLine(e.getMessage()), "a one-line message: " + e.getMessage());
        }
    }
}
