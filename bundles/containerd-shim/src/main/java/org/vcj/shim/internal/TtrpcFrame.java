package org.vcj.shim.internal;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;

/**
 * One ttrpc frame: a 10-byte header (payload length and stream id as big-endian uint32, message type, flags)
 * followed by the payload (a serialized ttrpc Request or Response).
 *
 * @param streamId the stream the frame belongs to (the client's request id, echoed by the response)
 * @param type     {@link #REQUEST} or {@link #RESPONSE}
 * @param flags    frame flags (0 for unary calls)
 * @param payload  the serialized message
 */
record TtrpcFrame(int streamId, byte type, byte flags, byte[] payload) {
    static final byte REQUEST = 1;
    static final byte RESPONSE = 2;
    /** ttrpc's default limit on a message. */
    static final int MAX_PAYLOAD = 4 << 20;
    private static final int HEADER = 10;

    /** Reads one frame; {@code null} at a clean end of stream before a header. */
    static TtrpcFrame read(ReadableByteChannel ch) throws IOException {
        ByteBuffer header = ByteBuffer.allocate(HEADER);
        if (!fill(ch, header, true)) return null;
        header.flip();
        int length = header.getInt();
        int stream = header.getInt();
        byte type = header.get();
        byte flags = header.get();
        if (length < 0 || length > MAX_PAYLOAD) {
            throw new IOException("ttrpc frame of " + Integer.toUnsignedString(length) + " bytes exceeds the limit of " + MAX_PAYLOAD);
        }
        ByteBuffer body = ByteBuffer.allocate(length);
        fill(ch, body, false);
        return new TtrpcFrame(stream, type, flags, body.array());
    }

    /** Writes the frame whole (callers serialize writes on one channel). */
    void write(WritableByteChannel ch) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(HEADER + payload.length);
        b.putInt(payload.length).putInt(streamId).put(type).put(flags).put(payload).flip();
        while (b.hasRemaining()) ch.write(b);
    }

    private static boolean fill(ReadableByteChannel ch, ByteBuffer b, boolean eofAllowedAtStart) throws IOException {
        while (b.hasRemaining()) {
            if (ch.read(b) < 0) {
                if (eofAllowedAtStart && b.position() == 0) return false;
                throw new EOFException("ttrpc connection closed inside a frame");
            }
        }
        return true;
    }
}
