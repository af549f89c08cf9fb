package org.vcj.shim.internal;

import java.time.Instant;

import com.google.protobuf.Timestamp;

/** Instants as protobuf Timestamps. */
final class ProtoTime {
    private ProtoTime() { }

    static Timestamp ts(Instant at) {
        return Timestamp.newBuilder().setSeconds(at.getEpochSecond()).setNanos(at.getNano()).build();
    }
}
