package org.vcj.shim.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The pids of a container's process list in the {@code json} format (a JSON array of pids, as {@code runc ps}). */
final class ProcessListJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ProcessListJson() { }

    static List<Integer> pids(byte[] json) {
        List<Integer> out = new ArrayList<>();
        if (json.length == 0) return out;
        try {
            JsonNode n = JSON.readTree(json);
            if (!n.isArray()) throw new TaskException(TaskException.INTERNAL, "the agent's process list is not a JSON array: " + n);
            n.forEach(p -> out.add(p.asInt()));
            return out;
        } catch (IOException e) {
            throw new TaskException(TaskException.INTERNAL, "the agent's process list is not JSON: " + e.getMessage(), e);
        }
    }
}
