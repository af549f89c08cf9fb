package org.vcj.agent.client.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A real guest agent (vcj-agent.jar, runc) as a child process on a Unix socket, for tests. */
public final class AgentProcess implements AutoCloseable {
    private final Process process;
    private final Path log;
    private final Path socket;

    private AgentProcess(Process process, Path log, Path socket) {
        this.process = process;
        this.log = log;
        this.socket = socket;
    }

    /** Starts {@code java -jar $vcj.agent.jar --listen=unix://<dir>/agent.sock --state-dir=<dir>/agent --oci-runtime=runc}. */
    public static AgentProcess start(Path dir) throws IOException {
        String jar = System.getProperty("vcj.agent.jar");
        if (jar == null || !Files.isRegularFile(Path.of(jar))) {
            throw new IOException("system property vcj.agent.jar (" + jar + ") must name vcj-agent.jar: build bundles/agent first");
        }
        Files.createDirectories(dir);
        Path sock = dir.resolve("agent.sock");
        Path log = dir.resolve("agent.log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(List.of(java, "-jar", jar, "--listen=unix://" + sock,
                "--state-dir=" + dir.resolve("agent"), "--oci-runtime=runc"))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new AgentProcess(p, log, sock);
    }

    public String address() {
        return "unix://" + socket;
    }

    public Path socket() {
        return socket;
    }

    /** The agent's log so far (for assertion messages). */
    public String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(15, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }
}
