package org.vcj.hypervisor.qemu.internal;

import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.vcj.api.HypervisorException;

/**
 * The JSON of QMP, through Jackson: commands and their arguments written from maps (every string escaped), QEMU's
 * messages read as trees. Thread-safe (one shared, never reconfigured mapper).
 */
final class QmpJson {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private QmpJson() {
    }

    /** A JSON object of these fields (strings, numbers, booleans, nested maps), in the map's order. */
    static String object(Map<String, ?> fields) {
        try {
            return MAPPER.writeValueAsString(fields);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON-serialisable: " + fields, e);
        }
    }

    /** A QMP command: {@code execute} and, unless null, its {@code arguments} (a JSON object). */
    static String command(String execute, String argumentsJson) {
        ObjectNode msg = MAPPER.createObjectNode().put("execute", execute);
        if (argumentsJson != null) msg.set("arguments", parse(null, argumentsJson));
        return msg.toString();
    }

    /** One message of QEMU (greeting, answer, event). @throws HypervisorException naming the VM when it is no JSON */
    static JsonNode parse(String vmId, String json) {
        try {
            return MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new HypervisorException(vmId, "qmp", "QEMU sent no JSON: " + json, e);
        }
    }

    /** The {@code return} member of an answer (a missing node when there is none). */
    static JsonNode returned(String answer) {
        return parse(null, answer).path("return");
    }
}
