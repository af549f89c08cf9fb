package org.vcj.launcher;

import java.util.HashMap;
import java.util.Map;

/**
 * The length-delimited fields of a protobuf message, read without a protobuf library (the launcher has none): the
 * last value of each field number. Malformed input ends the reading; what was read before is kept.
 */
final class ProtoFields {
    private ProtoFields() { }

    static Map<Integer, byte[]> strings(byte[] msg) {
        Map<Integer, byte[]> out = new HashMap<>();
        int[] pos = {0};
        while (pos[0] < msg.length) {
            long key = varint(msg, pos);
            if (key < 0) break;
            int field = (int) (key >>> 3);
            int wire = (int) (key & 7);
            switch (wire) {
                case 0 -> { if (varint(msg, pos) < 0) return out; }
                case 1 -> pos[0] += 8;
                case 5 -> pos[0] += 4;
                case 2 -> {
                    long len = varint(msg, pos);
                    if (len < 0 || pos[0] + len > msg.length) return out;
                    byte[] v = new byte[(int) len];
                    System.arraycopy(msg, pos[0], v, 0, (int) len);
                    pos[0] += (int) len;
                    out.put(field, v);
                }
                default -> { return out; }
            }
        }
        return out;
    }

    /** A varint at pos (advanced past it), or -1 when the input ends inside it. */
    private static long varint(byte[] b, int[] pos) {
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (pos[0] >= b.length) return -1;
            byte x = b[pos[0]++];
            v |= (long) (x & 0x7f) << shift;
            if ((x & 0x80) == 0) return v;
        }
        return -1;
    }
}
