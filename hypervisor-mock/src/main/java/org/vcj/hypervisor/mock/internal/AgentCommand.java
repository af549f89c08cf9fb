package org.vcj.hypervisor.mock.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.vcj.api.HypervisorException;
import org.vcj.api.InvalidConfigException;
import org.vcj.support.process.HostProcess;

/**
 * How the guest agent is started on the host: {@code setsid java -jar vcj-agent.jar --listen=unix://...}, detached
 * so it outlives the JVM that started it; the mock plugin's settings. The jar comes from the setting
 * {@value #AGENT_JAR} (else the framework property {@code vcj.agent.jar}), the java from {@value #AGENT_JAVA} (else
 * {@code vcj.agent.java}, else this JVM's), checked when the plugin is activated; a CDS archive next to the jar ({@code vcj-agent.jsa}, made at build
 * time by scripts/cli-cds.sh) is used when there is one (a JVM that did not make it ignores it). The environment
 * variable {@code VCJ_AGENT_JAVA_OPTS} adds JVM options (blank-separated) to every agent this runtime starts: the
 * build uses it to record the classes an agent loads through a whole sandbox cycle, for its CDS archives.
 *
 * @param java     the java launcher
 * @param agentJar the agent's jar
 */
record AgentCommand(String java, String agentJar) {

    static final String AGENT_JAR = "agent.jar";
    static final String AGENT_JAVA = "agent.java";

    static AgentCommand from(Function<String, String> properties) {
        return from(Map.of(), properties);
    }

    /**
     * The settings of this configuration, else of these framework properties.
     *
     * @throws InvalidConfigException naming the key and value when a jar or java is given that is not there
     */
    static AgentCommand from(Map<String, ?> config, Function<String, String> properties) {
        String jar = setting(config, AGENT_JAR, properties.apply("vcj.agent.jar"));
        String java = setting(config, AGENT_JAVA, properties.apply("vcj.agent.java"));
        if (java == null) java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        if (jar != null && (!jar.startsWith("/") || !Files.isRegularFile(Path.of(jar)))) {
            throw new InvalidConfigException(AGENT_JAR, jar, "the mock hypervisor needs the absolute path of the guest agent's jar");
        }
        if (!java.startsWith("/") || !Files.isExecutable(Path.of(java))) {
            throw new InvalidConfigException(AGENT_JAVA, java, "the mock hypervisor needs the absolute path of a java launcher");
        }
        return new AgentCommand(java, jar);
    }

    private static String setting(Map<String, ?> config, String key, String fallback) {
        Object v = config.get(key);
        String s = v == null || v.toString().isBlank() ? fallback : v.toString().trim();
        return s == null || s.isBlank() ? null : s;
    }

    HostProcess start(String sandboxId, Path runDir, Path socket) {
        if (agentJar == null || !Files.isRegularFile(Path.of(agentJar))) {
            throw new InvalidConfigException("vcj.agent.jar", String.valueOf(agentJar),
                    "the mock hypervisor needs the guest agent's jar; set the vcj.agent.jar property");
        }
        List<String> cmd = new ArrayList<>(List.of("setsid", java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto"));
        Path archive = Path.of(agentJar.replaceFirst("\\.jar$", "") + ".jsa");
        if (Files.isRegularFile(archive)) {
            cmd.addAll(List.of("-XX:SharedArchiveFile=" + archive, "-Xlog:cds=off", "-Xlog:cds+dynamic=off"));
        }
        String extra = System.getenv("VCJ_AGENT_JAVA_OPTS");
        if (extra != null && !extra.isBlank()) cmd.addAll(List.of(extra.trim().split("\\s+")));
        cmd.addAll(List.of("-Dio.grpc.netty.shaded.io.netty.jfr.enabled=false", "-jar", agentJar,
                "--listen=unix://" + socket, "--state-dir=" + runDir.resolve("agent"), "--oci-runtime=auto"));
        try {
            java.lang.Process p = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(runDir.resolve("agent.log").toFile()))
                    .start();
            Files.writeString(runDir.resolve("agent.pid"), p.pid() + "\n");
            return HostProcess.of(p.pid()).orElseThrow(() -> new HypervisorException(sandboxId, "startVM",
                    "the agent exited at once; see " + runDir.resolve("agent.log"), null));
        } catch (IOException e) {
            throw new HypervisorException(sandboxId, "startVM", "cannot start the agent (" + String.join(" ", cmd) + "): " + e.getMessage(), e);
        }
    }
}
