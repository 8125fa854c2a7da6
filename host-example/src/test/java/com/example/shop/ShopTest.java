package com.example.shop;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * A host application with Tidings as one dependency: its own event reaches a tenant's webhook,
 * signed, and its own endpoint still answers to its own token and nothing else.
 */
@QuarkusTest
@QuarkusTestResource(ShopDatabase.class)
class ShopTest {

    private final BlockingQueue<Map<String, String>> received = new LinkedBlockingQueue<>();
    @Inject
    InMemorySpanExporter spans;
    private HttpServer receiver;

    @BeforeEach
    void startReceiver() throws IOException {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", exchange -> {
            received.add(Map.of("body", new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8),
                    "signature", String.valueOf(exchange.getRequestHeaders().getFirst("webhook-signature")),
                    "traceparent", String.valueOf(exchange.getRequestHeaders().getFirst("traceparent"))));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
    }

    @AfterEach
    void stopReceiver() {
        receiver.stop(0);
    }

    @Test
    void the_shops_event_reaches_a_tenants_webhook() throws Exception {
        String tenant = tenantWithWebhook();

        given().auth().oauth2("shop-session-token").queryParam("tenant", tenant).queryParam("total", "12.50")
                .when().post("/shop/orders").then().statusCode(201);

        Map<String, String> request = received.poll(30, TimeUnit.SECONDS);
        assertThat(request).as("a webhook request").isNotNull();
        assertThat(request.get("body")).contains("\"type\":\"order:placed\"").containsPattern("\"total\":\\s*\"12.50\"");
        assertThat(request.get("signature")).startsWith("v1,");
    }

    @Test
    void an_orders_trace_reaches_the_webhook_through_a_span_for_its_delivery() throws Exception {
        String tenant = tenantWithWebhook();
        String trace = "4bf92f3577b34da6a3ce929d0e0e4736";

        given().auth().oauth2("shop-session-token").header("traceparent", "00-" + trace + "-00f067aa0ba902b7-01")
                .queryParam("tenant", tenant).queryParam("total", "7.00").when().post("/shop/orders").then().statusCode(201);

        Map<String, String> request = received.poll(30, TimeUnit.SECONDS);
        assertThat(request).as("a webhook request").isNotNull();
        assertThat(request.get("traceparent")).as("the receiver joins the order's trace").startsWith("00-" + trace + "-");
        String deliverySpan = request.get("traceparent").split("-")[2];
        await(() -> spans.getFinishedSpanItems().stream().anyMatch(span -> span.getSpanId().equals(deliverySpan)));
        SpanData delivery = spans.getFinishedSpanItems().stream().filter(span -> span.getSpanId().equals(deliverySpan)).findFirst().orElseThrow();
        SpanData order = spans.getFinishedSpanItems().stream().filter(span -> span.getSpanId().equals(delivery.getParentSpanId()))
                .findFirst().orElseThrow(() -> new AssertionError("the delivery span's parent is not among " + spans.getFinishedSpanItems()));
        assertThat(delivery.getTraceId()).isEqualTo(trace);
        assertThat(delivery.getName()).isEqualTo("tidings webhook delivery");
        assertThat(delivery.getAttributes().asMap().toString()).contains("order:placed").doesNotContain("127.0.0.1", "12.50", "7.00");
        assertThat(order.getTraceId()).as("recorded in the order's request").isEqualTo(trace);
    }

    @Test
    void the_shops_endpoint_answers_to_the_shops_token_only() {
        given().auth().oauth2("not-the-shops-token").when().post("/shop/orders")
                .then().statusCode(401).body("shop", equalTo("sign in first"));
        given().auth().oauth2("shop-session-token").when().get("/api/webhooks").then().statusCode(401); // Tidings' own, Tidings' keys
    }

    @Test
    void the_shop_keeps_the_console_path_when_tidings_console_is_off() {
        given().when().get("/console").then().statusCode(200).body(containsString("The shop's console"));
        given().when().get("/console/sign-in").then().statusCode(404);
    }

    /** A tenant, with a key, whose webhook on the test's receiver takes the shop's events. @return its id */
    private String tenantWithWebhook() {
        String tenant = admin().body(Map.of("name", "Acme")).when().post("/api/tenants").then().statusCode(201).extract().path("id");
        String key = admin().body("{}").when().post("/api/tenants/" + tenant + "/keys").then().statusCode(201).extract().path("key");
        given().auth().oauth2(key).contentType(ContentType.JSON)
                .body(Map.of("url", "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook", "eventTypes", List.of("order:*")))
                .when().post("/api/webhooks").then().statusCode(201);
        return tenant;
    }

    private static void await(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waited 10 s").isLessThan(until);
            Thread.sleep(50);
        }
    }

    private static io.restassured.specification.RequestSpecification admin() {
        return given().header("Authorization", "Bearer " + ConfigProvider.getConfig().getValue("tidings.api.admin-key", String.class))
                .contentType(ContentType.JSON);
    }
}
