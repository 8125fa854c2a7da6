package io.tidings.analytics.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonMetaSchema;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.NonValidationKeyword;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

import io.tidings.outbox.internal.EventType;

/**
 * The JSON Schemas of every event type and version, from {@code schemas/<type>/v<n>.<kind>.json}:
 * what each payload may contain, which of its fields are personal ({@code x-pii}, notification
 * only) and which identifiers are pseudonymized before they leave ({@code x-pseudonym}). A schema may
 * refer to layers it shares with others ({@link SharedLayers}); {@link #document} has them inlined.
 */
@Singleton
public class EventSchemas {

    /** Which payload a schema describes. */
    public enum Kind {
        NOTIFICATION, TELEMETRY;

        String file() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    // Draft 2020-12 plus Tidings' own keywords, which annotate fields and validate nothing.
    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory
            .builder(JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012))
            .metaSchema(JsonMetaSchema.builder(JsonMetaSchema.getV202012())
                    .keyword(new NonValidationKeyword("version"))
                    .keyword(new NonValidationKeyword("x-pii"))
                    .keyword(new NonValidationKeyword("x-pseudonym"))
                    .build())
            .schemaMappers(mappers -> mappers.add(SharedLayers::onClassPath))
            .build();

    private final Installation installation;
    private final Map<String, Optional<Loaded>> cache = new ConcurrentHashMap<>();
    // Looking the algorithm up and keying it cost more than the hash; the key is fixed for the installation's life.
    private final ThreadLocal<Mac> hmac = ThreadLocal.withInitial(this::newHmac);

    @Inject
    public EventSchemas(Installation installation) {
        this.installation = installation;
    }

    /** The schema document with its shared layers inlined, or empty when the type has none of this kind. */
    public Optional<JsonNode> document(EventType type, Kind kind) {
        return loaded(type, kind).map(Loaded::document);
    }

    /** The notification payload, checked. @throws IllegalArgumentException naming the type, version and failing path */
    public ObjectNode checkNotification(EventType type, ObjectNode payload) {
        validate(type, Kind.NOTIFICATION, payload);
        return payload;
    }

    /** The telemetry payload with its identifiers pseudonymized, then checked. @throws IllegalArgumentException as above */
    public ObjectNode prepareTelemetry(EventType type, ObjectNode payload) {
        Loaded schema = require(type, Kind.TELEMETRY);
        pseudonymize(schema.document(), payload);
        validate(type, Kind.TELEMETRY, payload);
        return payload;
    }

    private void validate(EventType type, Kind kind, JsonNode payload) {
        Set<ValidationMessage> errors = require(type, kind).schema().validate(payload);
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException("The " + kind.file() + " payload of " + type.name() + " v" + type.schemaVersion()
                    + " does not match its schema: " + errors.stream()
                            .map(error -> error.getInstanceLocation() + " " + error.getMessage())
                            .sorted().collect(Collectors.joining("; ")));
        }
    }

    // Every string the schema marks x-pseudonym is replaced by its HMAC, wherever it sits.
    private void pseudonymize(JsonNode schema, JsonNode payload) {
        JsonNode properties = schema.path("properties");
        if (!payload.isObject() || !properties.isObject()) {
            return;
        }
        ObjectNode object = (ObjectNode) payload;
        properties.fields().forEachRemaining(property -> {
            JsonNode value = object.get(property.getKey());
            if (value == null) {
                return;
            }
            if (property.getValue().path("x-pseudonym").asBoolean() && value.isTextual()) {
                object.put(property.getKey(), pseudonym(value.asText()));
            } else {
                pseudonymize(property.getValue(), value);
            }
        });
    }

    public String pseudonym(String value) {
        return HexFormat.of().formatHex(hmac.get().doFinal(value.getBytes(StandardCharsets.UTF_8)));
    }

    private Mac newHmac() {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(installation.pseudonymKey(), "HmacSHA256"));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    /** @throws IllegalStateException naming the file to add, when the type has no schema of this kind */
    Loaded require(EventType type, Kind kind) {
        return loaded(type, kind).orElseThrow(() -> new IllegalStateException("No " + kind.file() + " schema for "
                + type.name() + " v" + type.schemaVersion() + ": add " + path(type, kind)));
    }

    private Optional<Loaded> loaded(EventType type, Kind kind) {
        return cache.computeIfAbsent(path(type, kind), EventSchemas::load);
    }

    static String path(EventType type, Kind kind) {
        return "schemas/" + type.name().replace(':', '.') + "/v" + type.schemaVersion() + "." + kind.file() + ".json";
    }

    static Optional<Loaded> load(String path) {
        try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                return Optional.empty();
            }
            JsonNode document = JSON.readTree(in);
            JsonSchema schema = FACTORY.getSchema(document);
            schema.initializeValidators(); // resolves every reference now, not at the first payload
            return Optional.of(new Loaded(SharedLayers.inline(document), schema));
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read " + path, e);
        }
    }

    record Loaded(JsonNode document, JsonSchema schema) {
    }
}
