package org.vcj.support.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UnixSocketPathsTest {
    @TempDir
    Path tmp;

    @Test
    void shortPathIsKept() {
        Path s = tmp.resolve("agent.sock");
        assertEquals(s, UnixSocketPaths.shortPath(s));
    }

    @Test
    void longRootAnd64CharIdBindThroughTheShortLinkAndTheSocketLivesInItsDirectory() throws Exception {
        String id = "0123456789abcdef".repeat(4);
        Path root = tmp.resolve("r".repeat(Math.max(1, 100 - tmp.toString().length())));
        Path run = Files.createDirectories(root.resolve("sandboxes").resolve(id).resolve("vm"));
        Path socket = run.resolve("agent.sock");
        assertTrue(socket.toString().length() > 108, "the test's path must be too long for a socket: " + socket);
        Path bound = UnixSocketPaths.shortPath(socket);
        assertTrue(bound.toString().length() <= UnixSocketPaths.MAX_BYTES, bound.toString());
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(bound));
            assertTrue(Files.exists(socket), "the socket file is in the run directory");
            try (SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(UnixSocketPaths.shortPath(socket)))) {
                assertTrue(c.isConnected());
            }
        }
        UnixSocketPaths.release(run);
        assertFalse(Files.exists(UnixSocketPaths.linkOf(run), java.nio.file.LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void aStaleLinkIsRepaired() throws Exception {
        Path run = Files.createDirectories(tmp.resolve("x".repeat(110 - tmp.toString().length())));
        Path link = UnixSocketPaths.linkOf(run);
        Files.createDirectories(link.getParent());
        Files.deleteIfExists(link);
        Files.createSymbolicLink(link, tmp);
        Path bound = UnixSocketPaths.shortPath(run.resolve("qmp.sock"));
        assertEquals(run, Files.readSymbolicLink(link));
        assertEquals(link.resolve("qmp.sock"), bound);
        UnixSocketPaths.release(run);
    }
}
