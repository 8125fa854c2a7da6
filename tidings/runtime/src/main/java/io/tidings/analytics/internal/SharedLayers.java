package io.tidings.analytics.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.AbsoluteIri;

/**
 * The layers event schemas share: {@code $defs} documents under {@code schemas/_defs/}, referred to
 * by an absolute {@code $ref} whose path holds {@code /_defs/}, whatever host its {@code $id} names.
 * The validator resolves such a reference from the class path ({@link #onClassPath}); the readers
 * of {@code x-pii}, {@code x-pseudonym} and descriptions walk the schema with each reference
 * inlined ({@link #inline}), so no reader has to follow references itself.
 */
final class SharedLayers {

    private static final String DIRECTORY = "/_defs/";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, JsonNode> DOCUMENTS = new ConcurrentHashMap<>();

    private SharedLayers() {
    }

    /** Where the validator finds a shared document: on the class path rather than at its {@code $id}. */
    static AbsoluteIri onClassPath(AbsoluteIri iri) {
        int at = iri.toString().indexOf(DIRECTORY);
        return at < 0 ? iri : AbsoluteIri.of("classpath:schemas" + iri.toString().substring(at));
    }

    /**
     * The schema with every shared reference replaced by what it refers to. The referring object's
     * own {@code properties} and {@code required} add to the layer's; its other keywords win.
     */
    static JsonNode inline(JsonNode schema) {
        if (schema.isArray()) {
            ArrayNode copy = JSON.createArrayNode();
            schema.forEach(item -> copy.add(inline(item)));
            return copy;
        }
        if (!schema.isObject()) {
            return schema;
        }
        ObjectNode copy = JSON.createObjectNode();
        if (schema.has("$ref") && schema.get("$ref").asText().contains(DIRECTORY)) {
            copy.setAll((ObjectNode) inline(resolve(schema.get("$ref").asText())));
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = schema.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> field = it.next();
            merge(copy, field.getKey(), inline(field.getValue()), schema);
        }
        copy.remove("$ref");
        return copy;
    }

    private static void merge(ObjectNode target, String keyword, JsonNode value, JsonNode referrer) {
        JsonNode inherited = target.get(keyword);
        if (inherited == null || !referrer.has("$ref")) {
            target.set(keyword, value);
        } else if (keyword.equals("properties")) {
            value.fieldNames().forEachRemaining(name -> {
                if (inherited.has(name)) {
                    throw new IllegalStateException("Property " + name + " is both in " + referrer.get("$ref").asText()
                            + " and beside the reference to it: declare it in one place");
                }
            });
            ((ObjectNode) inherited).setAll((ObjectNode) value);
        } else if (keyword.equals("required")) {
            TreeSet<String> names = new TreeSet<>();
            inherited.forEach(name -> names.add(name.asText()));
            value.forEach(name -> names.add(name.asText()));
            ArrayNode union = JSON.createArrayNode();
            names.forEach(union::add);
            target.set(keyword, union);
        } else {
            target.set(keyword, value);
        }
    }

    // "https://host/_defs/v1/notification.json#/$defs/project" -> node at /$defs/project of schemas/_defs/v1/notification.json
    private static JsonNode resolve(String ref) {
        String location = ref.substring(ref.indexOf(DIRECTORY));
        int hash = location.indexOf('#');
        String file = "schemas" + (hash < 0 ? location : location.substring(0, hash));
        JsonNode document = DOCUMENTS.computeIfAbsent(file, SharedLayers::read);
        JsonNode target = hash < 0 ? document : document.at(location.substring(hash + 1));
        if (target.isMissingNode()) {
            throw new IllegalStateException("Nothing at " + ref + " (" + file + ")");
        }
        return target;
    }

    private static JsonNode read(String file) {
        try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(file)) {
            if (in == null) {
                throw new IllegalStateException("A schema refers to " + file + ", which is not on the class path");
            }
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read " + file, e);
        }
    }
}
