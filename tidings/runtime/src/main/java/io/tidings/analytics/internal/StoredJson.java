package io.tidings.analytics.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** A JSON object an event class keeps in a column of its own and renders as its payloads. */
final class StoredJson {

    private static final ObjectMapper JSON = new ObjectMapper();

    private StoredJson() {
    }

    /** @param what what the column holds, for the error should it not be JSON */
    static ObjectNode object(String json, String what) {
        try {
            return (ObjectNode) JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored " + what + " are not JSON", e);
        }
    }
}
