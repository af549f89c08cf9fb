package org.vcj.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

/**
 * What {@code start} needs of a bundle's OCI spec ({@code config.json}): the pod sandbox a CRI container joins.
 * Read with Jackson's streaming parser (jackson-core is on the launcher's class path; databind is not needed).
 */
final class BundleSpec {
    /** CRI's annotation: {@code sandbox} for a pod's sandbox container, {@code container} for one that joins it. */
    static final String CONTAINER_TYPE = "io.kubernetes.cri.container-type";
    /** CRI's annotation naming the pod sandbox a container belongs to. */
    static final String SANDBOX_ID = "io.kubernetes.cri.sandbox-id";
    private static final JsonFactory JSON = new JsonFactory();

    private BundleSpec() { }

    /** The pod sandbox the bundle's container joins, or null (no spec, a sandbox of its own). */
    static String joinedSandbox(Path bundle) throws IOException {
        Path spec = bundle.resolve("config.json");
        if (!Files.isRegularFile(spec)) return null;
        return joinedSandbox(Files.readAllBytes(spec));
    }

    /** As {@link #joinedSandbox(Path)}, for the spec's JSON text. */
    static String joinedSandbox(byte[] json) throws IOException {
        String type = null, sandbox = null;
        try (JsonParser p = JSON.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) throw new IOException("the OCI spec is not a JSON object");
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if (!"annotations".equals(field) || value != JsonToken.START_OBJECT) {
                    p.skipChildren();
                    continue;
                }
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String key = p.currentName();
                    p.nextToken();
                    if (CONTAINER_TYPE.equals(key)) type = p.getValueAsString();
                    else if (SANDBOX_ID.equals(key)) sandbox = p.getValueAsString();
                    else p.skipChildren();
                }
            }
        }
        return "container".equals(type) ? sandbox : null;
    }
}
