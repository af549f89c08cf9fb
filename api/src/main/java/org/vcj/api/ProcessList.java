package org.vcj.api;

import java.nio.charset.StandardCharsets;

/** The output of a process listing in the requested format (Kata {@code ProcessList}, a byte slice). */
public record ProcessList(byte[] output) {
    public ProcessList {
        output = output == null ? new byte[0] : output.clone();
    }

    @Override
    public byte[] output() { return output.clone(); }

    /** The output as UTF-8 text. */
    public String text() { return new String(output, StandardCharsets.UTF_8); }

    @Override
    public String toString() { return text(); }

    @Override
    public boolean equals(Object o) { return o instanceof ProcessList p && java.util.Arrays.equals(output, p.output); }

    @Override
    public int hashCode() { return java.util.Arrays.hashCode(output); }
}
