package org.vcj.agent.internal;

import io.grpc.stub.StreamObserver;
import org.vcj.agent.protocol.CheckRequest;
import org.vcj.agent.protocol.HealthCheckResponse;
import org.vcj.agent.protocol.HealthGrpc;
import org.vcj.agent.protocol.VersionCheckResponse;

/** Health.Check (always SERVING once the server runs) and Health.Version. */
public final class GrpcHealthService extends HealthGrpc.HealthImplBase {
    /** The agent version reported by Health.Version. */
    public static final String VERSION = "0.1.0";

    private final String ociRuntime;
    private volatile long startupMillis = -1;

    public GrpcHealthService(String ociRuntime) {
        this.ociRuntime = ociRuntime;
    }

    /** Records the JVM-start-to-serving time once the server accepts calls. */
    public void startupMillis(long ms) {
        startupMillis = ms;
    }

    @Override
    public void check(CheckRequest r, StreamObserver<HealthCheckResponse> o) {
        o.onNext(HealthCheckResponse.newBuilder().setStatus(HealthCheckResponse.ServingStatus.SERVING).build());
        o.onCompleted();
    }

    @Override
    public void version(CheckRequest r, StreamObserver<VersionCheckResponse> o) {
        o.onNext(VersionCheckResponse.newBuilder().setAgentVersion(VERSION).setGrpcVersion(grpcVersion())
                .setStartupMillis(startupMillis).setOciRuntime(ociRuntime).build());
        o.onCompleted();
    }

    private static String grpcVersion() {
        Package p = io.grpc.Server.class.getPackage();
        String v = p == null ? null : p.getImplementationVersion();
        return v == null ? "1.85.1" : v;
    }
}
