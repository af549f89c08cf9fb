package org.vcj.launcher;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** containerd's runtime options, given to {@code start} on stdin: the vcj config file they name. */
final class RuntimeOptions {
    private RuntimeOptions() { }

    /** Reads all of {@code in} (containerd closes it) and returns its config path, or null. */
    static String configPath(InputStream in) {
        try {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            in.transferTo(b);
            return configPath(b.toByteArray());
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * The config path of containerd's runtime options: an Any (type_url = 1, value = 2) holding runtimeoptions
     * Options (config_path = 2); null when there is none.
     */
    static String configPath(byte[] any) {
        Map<Integer, byte[]> outer = ProtoFields.strings(any);
        byte[] typeUrl = outer.get(1);
        byte[] value = outer.get(2);
        if (typeUrl == null || value == null || !new String(typeUrl, StandardCharsets.UTF_8).contains("runtimeoptions")) return null;
        byte[] path = ProtoFields.strings(value).get(2);
        return path == null || path.length == 0 ? null : new String(path, StandardCharsets.UTF_8);
    }
}
