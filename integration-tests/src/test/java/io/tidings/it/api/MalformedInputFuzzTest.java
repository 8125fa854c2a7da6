package io.tidings.it.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.tidings.it.support.EmptyDatabaseTest;
import io.tidings.it.support.Tenants;

/**
 * Every operation the OpenAPI document lists under /api, and /collected, with malformed input of
 * every kind, as anonymous, tenant, admin and bogus callers: each answer is below 500, and a 4xx
 * carries the JSON error body. A fixed seed and a bounded number of cases, so that a failure
 * repeats; the service still answers afterwards.
 */
@QuarkusTest
class MalformedInputFuzzTest extends EmptyDatabaseTest {

    private static final long SEED = Long.getLong("tidings.fuzz.seed", 20261201L);
    private static final int CASES = Integer.getInteger("tidings.fuzz.cases", 600);
    private static final ObjectMapper JSON = new ObjectMapper();
    // Vert.x' HTTP decoder answers these itself, with no body, before any route sees the request.
    private static final java.util.Set<Integer> REFUSED_BY_THE_HTTP_CODEC = java.util.Set.of(414, 431);

    private static final String[] IDS = { "not-a-uuid", "00000000-0000-0000-0000-000000000000", "%00", "1e400",
            "99999999999999999999", "..%2F..%2Fetc%2Fpasswd", "x".repeat(3000), "%C3%28", "-1", "%E2%80%AE" };
    private static final String[] QUERY_VALUES = { "", "-1", "0", "1e10", "99999999999999999999", "%00", "not-a-cursor",
            "AAAA", "%FF%FE", "*", "project:*:*", "x".repeat(5000), "null", "[]", "true" };
    private static final byte[][] BODIES = {
            "{".getBytes(StandardCharsets.UTF_8), "[]".getBytes(StandardCharsets.UTF_8), "null".getBytes(StandardCharsets.UTF_8),
            "\"text\"".getBytes(StandardCharsets.UTF_8), "42".getBytes(StandardCharsets.UTF_8),
            "{\"name\": 1e400, \"url\": 99999999999999999999999, \"eventTypes\": \"*\"}".getBytes(StandardCharsets.UTF_8),
            "{\"name\": \"a\\u0000b\", \"description\": \"\\u0007\"}".getBytes(StandardCharsets.UTF_8),
            { '{', '"', 'n', 'a', 'm', 'e', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}' }, // invalid UTF-8
            { '{', '"', 'n', 'a', 'm', 'e', '"', ':', '"', 0, '"', '}' }, // a raw NUL
            "{\"unknown\": true, \"another\": {\"deep\": [1, 2, 3]}}".getBytes(StandardCharsets.UTF_8),
            "{\"eventTypes\": [1, {}, null, []], \"url\": {}, \"enabled\": \"yes\"}".getBytes(StandardCharsets.UTF_8),
            "{\"since\": \"yesterday\", \"status\": \"maybe\", \"stepsCount\": -5, \"granted\": \"sure\"}".getBytes(StandardCharsets.UTF_8),
            "{\"expiresAt\": \"1970-01-01T00:00:00Z\", \"description\": 5}".getBytes(StandardCharsets.UTF_8),
            "{\"event\": \"client:screen_viewed\", \"properties\": {\"screen\": {\"name\": [\"x\"]}, \"load_ms\": 1e309}}"
                    .getBytes(StandardCharsets.UTF_8),
            ("[" + "{\"event\":\"client:screen_viewed\"},".repeat(60) + "{}]").getBytes(StandardCharsets.UTF_8),
            ("[".repeat(5000) + "]".repeat(5000)).getBytes(StandardCharsets.UTF_8),
            ("{\"a\":".repeat(3000) + "1" + "}".repeat(3000)).getBytes(StandardCharsets.UTF_8),
            ("{\"name\": \"" + "x".repeat(300_000) + "\"}").getBytes(StandardCharsets.UTF_8),
            "{\"name\": \"\\ud800\"}".getBytes(StandardCharsets.UTF_8) };

    @Test
    void no_malformed_request_gets_a_500_and_every_refusal_is_a_json_error() throws Exception {
        List<Operation> operations = operations();
        assertThat(operations).hasSizeGreaterThan(20);
        Tenants.Tenant tenant = Tenants.create("Fuzz");
        UUID webhook = tenant.webhook("http://127.0.0.1:9/hook", "*");
        Random random = new Random(SEED);
        List<String> failures = new ArrayList<>();
        int closedEarly = 0;
        for (int i = 0; i < CASES; i++) {
            Operation operation = operations.get(random.nextInt(operations.size()));
            String path = fill(operation.path(), random, webhook, tenant.id());
            Response response;
            try {
                response = send(operation.method(), path, random, tenant);
            } catch (Exception e) { // RestAssured throws the socket's checked exception undeclared
                if (!(e instanceof java.net.SocketException)) {
                    throw e;
                }
                // A server may answer an oversized request (headers, body) and close before the client
                // has finished writing it; the client then sees a broken pipe, not the answer.
                closedEarly++;
                continue;
            }
            int status = response.statusCode();
            String body = response.asString();
            if (status >= 500 || (status >= 400 && !isJsonError(body) && !REFUSED_BY_THE_HTTP_CODEC.contains(status))) {
                failures.add("case " + i + ": " + operation.method() + " " + abbreviate(path) + " -> " + status + " " + abbreviate(body));
            }
        }
        assertThat(failures).isEmpty();
        assertThat(closedEarly).as("requests cut off by the server before their answer").isLessThan(CASES / 20);
        given().when().get("/q/health/live").then().statusCode(200);
        Tenants.admin().when().get("/api/tenants").then().statusCode(200); // the fuzzed tenant may have been deleted
    }

    private record Operation(String method, String path) {
    }

    private static List<Operation> operations() throws Exception {
        JsonNode paths = JSON.readTree(given().when().get("/q/openapi?format=json").then().statusCode(200).extract().asString())
                .path("paths");
        List<Operation> operations = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = paths.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> path = it.next();
            if (path.getKey().startsWith("/api") || path.getKey().startsWith("/collected")) {
                path.getValue().fieldNames().forEachRemaining(method -> operations.add(new Operation(method.toUpperCase(), path.getKey())));
            }
        }
        return operations;
    }

    // Path parameters get a malformed value most of the time, and a real id otherwise.
    private static String fill(String template, Random random, UUID webhook, UUID tenant) {
        String path = template;
        while (path.contains("{")) {
            int start = path.indexOf('{');
            int end = path.indexOf('}', start);
            String name = path.substring(start + 1, end);
            String value = random.nextInt(4) == 0 ? (name.toLowerCase().contains("tenant") || template.startsWith("/api/tenants")
                    ? tenant.toString() : webhook.toString()) : IDS[random.nextInt(IDS.length)];
            path = path.substring(0, start) + value + path.substring(end + 1);
        }
        if (random.nextBoolean()) {
            path += "?" + List.of("after", "limit", "type", "status", "since").get(random.nextInt(5)) + "="
                    + QUERY_VALUES[random.nextInt(QUERY_VALUES.length)];
        }
        return path;
    }

    private static Response send(String method, String path, Random random, Tenants.Tenant tenant) {
        RequestSpecification request = given().urlEncodingEnabled(false);
        switch (random.nextInt(5)) {
            case 0 -> request.header("Authorization", "Bearer " + tenant.key());
            case 1 -> request.header("Authorization", "Bearer " + Tenants.adminKey());
            case 2 -> request.header("Authorization", List.of("Bearer", "Bearer tdk_x", "Basic abc", "Bearer \u00e9\u00e9").get(random.nextInt(4)));
            default -> { }
        }
        if (random.nextInt(10) == 0) {
            request.header("X-Fuzz", "x".repeat(10_000 + random.nextInt(20_000)));
        }
        if (!method.equals("GET") && !method.equals("DELETE")) {
            request.contentType(random.nextInt(8) == 0 ? "text/plain" : "application/json").body(BODIES[random.nextInt(BODIES.length)]);
        }
        return request.when().request(method, path).then().extract().response();
    }

    private static boolean isJsonError(String body) {
        try {
            JsonNode error = JSON.readTree(body);
            return error != null && error.hasNonNull("error");
        } catch (Exception e) {
            return false;
        }
    }

    private static String abbreviate(String text) {
        return text.length() > 200 ? text.substring(0, 200) + "..." : text;
    }
}
