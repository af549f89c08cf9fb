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
        assertEquals("/etc/vcj-qemu.cfg", ContainerdShimLauncher.configPath(options));
    }

    @Test
    void otherOptionsOrNoneGiveNoConfigPath() {
        assertNull(ContainerdShimLauncher.configPath(new byte[0]));
        byte[] runc = concat(field(1, "containerd.runc.v1.Options".getBytes(StandardCharsets.UTF_8)), field(2, new byte[] {8, 1}));
        assertNull(ContainerdShimLauncher.configPath(runc));
        assertNull(ContainerdShimLauncher.configPath(new byte[] {(byte) 0xff, (byte) 0xff}), "malformed input is no options");
    }

    @Test
    void podContainersNameTheirSandbox() {
        assertEquals("pod1", ContainerdShimLauncher.joinedSandbox(
                "{\"annotations\":{\"io.kubernetes.cri.sandbox-id\": \"pod1\",\"io.kubernetes.cri.container-type\":\"container\"}}"));
        assertNull(ContainerdShimLauncher.joinedSandbox(
                "{\"annotations\":{\"io.kubernetes.cri.sandbox-id\":\"pod1\",\"io.kubernetes.cri.container-type\":\"sandbox\"}}"));
        assertNull(ContainerdShimLauncher.joinedSandbox("{}"));
    }

    @Test
    void socketPathFitsAUnixSocket() {
        Path s = ContainerdShimLauncher.socket(Path.of("/run/vcj"), "default", "c1", "/run/containerd/containerd.sock");
        assertTrue(s.startsWith("/run/vcj/shim") && s.toString().endsWith(".sock"), s.toString());
        assertEquals(s, ContainerdShimLauncher.socket(Path.of("/run/vcj"), "default", "c1", "/run/containerd/containerd.sock"));
        Path longRoot = Path.of("/" + "x".repeat(120));
        assertTrue(ContainerdShimLauncher.socket(longRoot, "default", "c1", "a").toString().length() < 100);
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
