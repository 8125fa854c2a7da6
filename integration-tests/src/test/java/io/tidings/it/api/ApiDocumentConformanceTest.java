package io.tidings.it.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonMetaSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.NonValidationKeyword;
import com.networknt.schema.SpecVersion;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.tidings.it.support.EmptyDatabaseTest;
import io.tidings.it.support.Tenants;

/**
 * What a client generated from {@code /q/openapi} relies on: every answer of every operation under
 * {@code /api} (Tidings' own, and the example's, which documents its refusals as a host would) has
 * a status the document lists for it, and a JSON answer matches the schema the document gives that
 * status. Requests are made from the document's own schemas (valid ones, and
 * ones with a field missing, a malformed id or value, the wrong content type), as anonymous, tenant
 * and admin callers: a schemathesis-like property test with a fixed seed and bounded cases.
 */
@QuarkusTest
class ApiDocumentConformanceTest extends EmptyDatabaseTest {

    private static final long SEED = Long.getLong("tidings.conformance.seed", 20261205L);
    private static final int CASES_PER_OPERATION = Integer.getInteger("tidings.conformance.cases", 12);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> METHODS = Set.of("get", "post", "put", "patch", "delete");
    private static final List<String> API_PATHS = List.of("/api/webhooks", "/api/tenants", "/api/events", "/api/deliveries",
            "/api/sinks", "/api/event-types", "/api/secrets", "/api/analytics", "/api/projects", "/api/jobs", "/api/runs");
    private static final JsonSchemaFactory SCHEMAS = JsonSchemaFactory
            .builder(JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012))
            .metaSchema(JsonMetaSchema.builder(JsonMetaSchema.getV202012()).keyword(new NonValidationKeyword("components")).build())
            .build();

    private JsonNode document;
    private Tenants.Tenant tenant;
    private UUID webhook;

    @Test
    void every_answer_has_a_documented_status_and_matches_its_schema() throws Exception {
        document = JSON.readTree(given().get("/q/openapi?format=json").then().statusCode(200).extract().asString());
        tenant = Tenants.create("Conformance");
        webhook = tenant.webhook("http://127.0.0.1:9/hook", "*");
        List<Operation> operations = operations();
        assertThat(operations).hasSizeGreaterThan(25);

        Set<String> violations = new TreeSet<>();
        Random random = new Random(SEED);
        for (Operation operation : operations) {
            for (int i = 0; i < CASES_PER_OPERATION; i++) {
                check(operation, random, violations);
            }
        }
        assertThat(violations).as("answers the document does not describe").isEmpty();
    }

    private record Operation(String method, String path, JsonNode spec) {
    }

    // Deleting operations last, so that the tenant and its webhook serve the others first.
    private List<Operation> operations() {
        List<Operation> operations = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = document.path("paths").fields(); paths.hasNext();) {
            Map.Entry<String, JsonNode> path = paths.next();
            if (API_PATHS.stream().anyMatch(path.getKey()::startsWith)) {
                path.getValue().fields().forEachRemaining(method -> {
                    if (METHODS.contains(method.getKey())) {
                        operations.add(new Operation(method.getKey().toUpperCase(), path.getKey(), method.getValue()));
                    }
                });
            }
        }
        operations.sort(Comparator.comparing((Operation operation) -> operation.method().equals("DELETE")).thenComparing(Operation::path));
        return operations;
    }

    private void check(Operation operation, Random random, Set<String> violations) {
        String path = fill(operation, random);
        Response response = request(operation, random).when().request(operation.method(), path).then().extract().response();
        String status = String.valueOf(response.statusCode());
        JsonNode responses = operation.spec().path("responses");
        JsonNode documented = responses.has(status) ? responses.get(status) : responses.get("default");
        String where = operation.method() + " " + operation.path() + " -> " + status;
        if (documented == null) {
            violations.add(where + " is not documented (documented: " + names(responses) + ")");
            return;
        }
        JsonNode schema = resolve(documented).path("content").path("application/json").path("schema");
        String body = response.asString();
        if (schema.isMissingNode() || body.isEmpty() || !String.valueOf(response.contentType()).startsWith("application/json")) {
            return;
        }
        ObjectNode root = ((ObjectNode) schema.deepCopy()).set("components", document.path("components"));
        try {
            SCHEMAS.getSchema(root).validate(JSON.readTree(body)).stream().limit(3).forEach(error ->
                    violations.add(where + " answer does not match its schema: " + error.getMessage()));
        } catch (Exception e) {
            violations.add(where + " answer could not be checked: " + e.getMessage());
        }
    }

    // A real id most of the time, a random one or a malformed one otherwise.
    private String fill(Operation operation, Random random) {
        String path = operation.path();
        while (path.contains("{")) {
            int start = path.indexOf('{');
            int end = path.indexOf('}', start);
            String name = path.substring(start + 1, end);
            int roll = random.nextInt(10);
            String value = roll < 7 ? (name.contains("tenant") || operation.path().startsWith("/api/tenants") && name.equals("id")
                    ? tenant.id() : webhook).toString() : roll < 9 ? UUID.randomUUID().toString() : "AAA";
            path = path.substring(0, start) + value + path.substring(end + 1);
        }
        StringBuilder query = new StringBuilder();
        for (JsonNode parameter : operation.spec().path("parameters")) {
            JsonNode resolved = resolve(parameter);
            if (resolved.path("in").asText().equals("query") && random.nextInt(3) == 0) {
                String value = random.nextInt(4) == 0 ? "AAA" : text(generate(resolved.path("schema"), random, 0));
                query.append(query.isEmpty() ? '?' : '&').append(resolved.path("name").asText()).append('=').append(value);
            }
        }
        return path + query;
    }

    private RequestSpecification request(Operation operation, Random random) {
        RequestSpecification request = given();
        switch (random.nextInt(3)) {
            case 0 -> request.header("Authorization", "Bearer " + tenant.key());
            case 1 -> request.header("Authorization", "Bearer " + Tenants.adminKey());
            default -> { }
        }
        JsonNode body = operation.spec().path("requestBody").path("content");
        if (body.isMissingNode()) {
            return request;
        }
        if (random.nextInt(10) == 0) {
            return request.contentType("text/plain").body("hello");
        }
        JsonNode generated = generate(body.path("application/json").path("schema"), random, 0);
        if (generated instanceof ObjectNode object && object.size() > 0 && random.nextInt(5) == 0) {
            object.remove(object.fieldNames().next());
        }
        return request.contentType("application/json").body(generated.toString());
    }

    // A value the schema allows, as far as types, enums, bounds and a few well-known names go.
    private JsonNode generate(JsonNode schema, Random random, int depth) {
        JsonNode resolved = resolve(schema);
        if (resolved.has("enum")) {
            return resolved.get("enum").get(random.nextInt(resolved.get("enum").size()));
        }
        switch (type(resolved)) {
            case "object" -> {
                ObjectNode object = JSON.createObjectNode();
                Set<String> required = new TreeSet<>();
                resolved.path("required").forEach(name -> required.add(name.asText()));
                resolved.path("properties").fields().forEachRemaining(property -> {
                    if (depth < 4 && (required.contains(property.getKey()) || random.nextBoolean())) {
                        object.set(property.getKey(), named(property.getKey(), random).orElseGet(() ->
                                generate(property.getValue(), random, depth + 1)));
                    }
                });
                return object;
            }
            case "array" -> {
                ArrayNode array = JSON.createArrayNode();
                for (int i = random.nextInt(3); i > 0 && depth < 4; i--) {
                    array.add(generate(resolved.path("items"), random, depth + 1));
                }
                return array;
            }
            case "integer", "number" -> {
                long low = resolved.path("minimum").asLong(0);
                long high = resolved.path("maximum").asLong(low + 100);
                return JSON.getNodeFactory().numberNode(low + (long) (random.nextDouble() * (high - low)));
            }
            case "boolean" -> {
                return JSON.getNodeFactory().booleanNode(random.nextBoolean());
            }
            default -> {
                return JSON.getNodeFactory().textNode(switch (resolved.path("format").asText()) {
                    case "uuid" -> random.nextBoolean() ? webhook.toString() : UUID.randomUUID().toString();
                    case "date-time" -> Instant.now().toString();
                    case "uri", "url" -> "http://127.0.0.1:9/hook";
                    default -> "word" + random.nextInt(100);
                });
            }
        }
    }

    private static java.util.Optional<JsonNode> named(String property, Random random) {
        return java.util.Optional.ofNullable(switch (property) {
            case "url" -> JSON.getNodeFactory().textNode("http://127.0.0.1:9/hook");
            case "eventTypes", "patterns" -> JSON.createArrayNode().add(random.nextBoolean() ? "*" : "project:*");
            default -> null;
        });
    }

    private static String type(JsonNode schema) {
        JsonNode type = schema.path("type");
        if (type.isArray()) {
            for (JsonNode each : type) {
                if (!each.asText().equals("null")) {
                    return each.asText();
                }
            }
        }
        return type.isMissingNode() ? (schema.has("properties") ? "object" : "string") : type.asText();
    }

    private JsonNode resolve(JsonNode node) {
        JsonNode resolved = node;
        while (resolved.has("$ref")) {
            resolved = document.at(resolved.get("$ref").asText().substring(1));
        }
        return resolved;
    }

    private static String text(JsonNode value) {
        return value.isTextual() ? value.asText() : value.toString();
    }

    private static List<String> names(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
