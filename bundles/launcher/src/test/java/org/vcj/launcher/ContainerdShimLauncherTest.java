package org.vcj.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

class ContainerdShimLauncherTest {

    @Test
    void configPathComesFromRuntimeOptionsInAnAny() {
        byte[] options = concat(field(1, "runtimeoptions.v1.Options".getBytes(StandardCharsets.UTF_8)),
                field(2, concat(field(1, new byte[0]), field(2, "/etc/vcj-qemu.cfg".getBytes(StandardCharsets.UTF_8)))));
        assertEquals("/etc/vcj-qemu.cfg", RuntimeOptions.configPath(options));
    }

    @Test
    void otherOptionsOrNoneGiveNoConfigPath() {
        assertNull(RuntimeOptions.configPath(new byte[0]));
        byte[] runc = concat(field(1, "containerd.runc.v1.Options".getBytes(StandardCharsets.UTF_8)), field(2, new byte[] {8, 1}));
        assertNull(RuntimeOptions.configPath(runc));
        assertNull(RuntimeOptions.configPath(new byte[] {(byte) 0xff, (byte) 0xff}), "malformed input is no options");
    }

    @Test
    void podContainersNameTheirSandbox() throws Exception {
        assertEquals("pod1", BundleSpec.joinedSandbox(bytes("{\"ociVersion\":\"1.1.0\",\"process\":{\"args\":[\"sh\"]},"
                + "\"annotations\":{\"io.kubernetes.cri.sandbox-id\": \"pod1\",\"other\":{\"nested\":[1,2]},"
                + "\"io.kubernetes.cri.container-type\":\"container\"}}")));
        assertNull(BundleSpec.joinedSandbox(bytes(
                "{\"annotations\":{\"io.kubernetes.cri.sandbox-id\":\"pod1\",\"io.kubernetes.cri.container-type\":\"sandbox\"}}")));
        assertNull(BundleSpec.joinedSandbox(bytes("{}")));
        // a value that only contains the key's text is not the key (the regex this parser replaced took it)
        assertNull(BundleSpec.joinedSandbox(bytes("{\"annotations\":{\"io.kubernetes.cri.sandbox-id\":\"p\","
                + "\"x\":\"\\\"io.kubernetes.cri.container-type\\\":\\\"container\\\"\"}}")));
        org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class, () -> BundleSpec.joinedSandbox(bytes("{\"annotations\":")));
    }

    @Test
    void theServiceSocketDependsOnTheRootOnlyAndFitsAUnixSocket() {
        Path s = ShimSocketNaming.socket(Path.of("/run/vcj"));
        assertEquals(Path.of("/run/vcj/shim.sock"), s);
        assertEquals(s, ShimSocketNaming.socket(Path.of("/run/vcj/")));
        Path longRoot = Path.of("/" + "x".repeat(100));
        Path l = ShimSocketNaming.socket(longRoot);
        assertTrue(l.toString().length() <= ShimSocketNaming.MAX_BYTES, l.toString());
        assertEquals(l, ShimSocketNaming.socket(longRoot));
        assertTrue(!l.equals(ShimSocketNaming.socket(Path.of("/" + "y".repeat(100)))), "two long roots, two sockets");
    }

    @Test
    void containerdsFlagsAreParsedOnceIntoOneRecord() throws Exception {
        ContainerdFlags f = ContainerdFlags.parse(new String[] {"-namespace", "k8s.io", "-address", "/run/containerd/containerd.sock",
            "-publish-binary", "/usr/bin/containerd", "-id", "c1", "-debug", "-bundle", "/b", "start"});
        assertEquals(new ContainerdFlags("start", "k8s.io", "c1", "/run/containerd/containerd.sock", "/usr/bin/containerd",
                Path.of("/b"), ""), f);
        assertEquals(f, ContainerdFlags.fromMap("start", f.asMap()), "the map the shim bundle gets reads back to the same flags");
        assertEquals(java.util.List.of("-namespace", "k8s.io", "-id", "c1", "-address", "/run/containerd/containerd.sock",
                "-publish-binary", "/usr/bin/containerd", "-bundle", "/b"), f.asArgs());
        assertEquals("default", ContainerdFlags.parse(new String[] {"delete"}).namespace());
        ContainerdFlags.Malformed e = org.junit.jupiter.api.Assertions.assertThrows(ContainerdFlags.Malformed.class,
                () -> ContainerdFlags.parse(new String[] {"-idd", "x", "start"}));
        assertTrue(e.getMessage().contains("-idd"), e.getMessage());
        org.junit.jupiter.api.Assertions.assertThrows(ContainerdFlags.Malformed.class, () -> ContainerdFlags.parse(new String[] {"start", "-id"}));
        org.junit.jupiter.api.Assertions.assertThrows(ContainerdFlags.Malformed.class, () -> ContainerdFlags.parse(new String[] {"start", "delete"}));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aRuntimeConfigFileOverridesTheInstallationsSettings(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        java.nio.file.Files.createDirectories(dir.resolve("conf"));
        java.nio.file.Files.writeString(dir.resolve("conf/org.vcj.cfg"), "hypervisor=mock\nvcpus=2\n");
        java.nio.file.Files.writeString(dir.resolve("qemu.cfg"), "hypervisor=qemu\nroot=/run/vcj-q\n");
        java.util.Map<String, String> s = VcjSettings.load(dir.resolve("conf"), dir.resolve("qemu.cfg").toString());
        assertEquals(java.util.Map.of("hypervisor", "qemu", "vcpus", "2", "root", "/run/vcj-q"), s);
        GlobalOptions.UsageError e = org.junit.jupiter.api.Assertions.assertThrows(GlobalOptions.UsageError.class,
                () -> VcjSettings.load(dir.resolve("conf"), dir.resolve("missing.cfg").toString()));
        assertTrue(e.getMessage().contains("missing.cfg"), e.getMessage());
        java.nio.file.Files.writeString(dir.resolve("bad.cfg"), "hypervisr=qemu\n");
        e = org.junit.jupiter.api.Assertions.assertThrows(GlobalOptions.UsageError.class,
                () -> VcjSettings.load(dir.resolve("conf"), dir.resolve("bad.cfg").toString()));
        assertTrue(e.getMessage().contains("hypervisr"), e.getMessage());
    }

    private static byte[] field(int number, byte[] value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(number << 3 | 2);
        int len = value.length;
        while (len >= 0x80) {
            out.write(len & 0x7f | 0x80);
            len >>>= 7;
        }
        out.write(len);
        out.writeBytes(value);
        return out.toByteArray();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
