package io.tidings.analytics.internal;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;


import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.tidings.delivery.AttemptResult;
import io.tidings.delivery.BySubscriber;
import io.tidings.delivery.ClaimedDelivery;
import io.tidings.delivery.DeliverySender;
import io.tidings.delivery.internal.DeliveryConfig;
import io.tidings.http.internal.HttpPost;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;

/**
 * Sends telemetry to the analytics backend in batches of up to {@code tidings.analytics.batch-size}.
 * A 2xx delivers the whole batch. A 4xx whose JSON body names rejected capsules
 * ({@code {"rejected": [{"insert_id", "reason"}]}}) makes those dead and the rest try again; any
 * other answer makes the whole batch try again on the retry schedule.
 */
@Singleton
public class AnalyticsSender implements DeliverySender {

    public static final String KIND = "analytics";
    private static final ObjectMapper JSON = new ObjectMapper();
    // Enough to read the names of rejected capsules; the attempt log keeps its usual excerpt.
    private static final int RESPONSE_LIMIT = 256 * 1024;

    private final AnalyticsConfig config;
    private final DeliveryConfig delivery;
    private final TelemetryCapsules capsules;
    private final Installation installation;
    private final HttpPost http;
    private final String userAgent;

    @Inject
    public AnalyticsSender(Vertx vertx, AnalyticsConfig config, DeliveryConfig delivery, TelemetryCapsules capsules,
            Installation installation, Clock clock) {
        this.config = config;
        this.delivery = delivery;
        this.capsules = capsules;
        this.installation = installation;
        this.userAgent = HttpPost.userAgent("telemetry");
        this.http = HttpPost.forDeliveries(vertx, delivery, HttpClientOptions.DEFAULT_MAX_POOL_SIZE, clock);
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public Duration longestAttempt() {
        return HttpPost.longestAttempt(delivery);
    }

    @Override
    public int batchSize() {
        return config.batchSize();
    }

    /** Each destination's part of the batch in one request: the configured backend, and any other added as a sink. */
    @Override
    public CompletionStage<List<AttemptResult>> sendBatch(List<ClaimedDelivery> batch) {
        return BySubscriber.each(batch, this::post);
    }

    /**
     * A destination added as a sink sets {@code url}, and may set {@code format} ({@code tidings} or
     * {@code posthog}); its sealed secret is its API key. The configured one uses the configuration's.
     */
    @Override
    public void checkTarget(ObjectNode target) {
        String url = target.path("url").asText("");
        if (!url.startsWith("https://") && !url.startsWith("http://")) {
            throw new InvalidTarget("url", "url must be an http(s) address of the analytics backend");
        }
        if (target.has("format") && !target.path("format").asText().matches("tidings|posthog")) {
            throw new InvalidTarget("format", "format must be tidings or posthog");
        }
    }

    private CompletionStage<List<AttemptResult>> post(List<ClaimedDelivery> part) {
        ClaimedDelivery first = part.get(0);
        AnalyticsConfig.Format format = first.target().has("format")
                ? AnalyticsConfig.Format.valueOf(first.target().path("format").asText().toUpperCase(java.util.Locale.ROOT))
                : config.format();
        Optional<String> apiKey = first.secrets().isEmpty() ? config.apiKey() : Optional.of(first.secrets().get(0));
        List<TelemetryBatch.Schema> described = part.stream().map(capsules::schemaOf).toList();
        String body = format == AnalyticsConfig.Format.POSTHOG
                ? TelemetryBatch.posthog(part, described, installation.id(), apiKey.orElse(""))
                : TelemetryBatch.tidings(part, described, installation.id());
        RequestOptions request = new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(first.target().path("url").asText())
                .setFollowRedirects(false).putHeader("content-type", "application/json").putHeader("user-agent", userAgent);
        if (format == AnalyticsConfig.Format.TIDINGS) {
            apiKey.ifPresent(key -> request.putHeader("authorization", "Bearer " + key));
        }
        return http.send(request, Buffer.buffer(body), RESPONSE_LIMIT).thenApply(result -> perDelivery(part, result));
    }

    private List<AttemptResult> perDelivery(List<ClaimedDelivery> batch, AttemptResult result) {
        Map<String, String> rejected = rejected(result);
        AttemptResult logged = shortened(result);
        List<AttemptResult> results = new ArrayList<>(batch.size());
        for (ClaimedDelivery one : batch) {
            String reason = rejected.get(one.id().toString());
            results.add(reason != null ? logged.asGone(reason) : logged);
        }
        return results;
    }

    private static Map<String, String> rejected(AttemptResult result) {
        Map<String, String> rejected = new HashMap<>();
        Integer status = result.statusCode();
        if (status == null || status < 400 || status >= 500 || status == 429 || result.excerpt() == null) {
            return rejected;
        }
        try {
            for (JsonNode capsule : JSON.readTree(result.excerpt()).path("rejected")) {
                rejected.put(capsule.path("insert_id").asText(), capsule.path("reason").asText("rejected"));
            }
        } catch (IOException notJson) {
            // no names: the whole batch is retried
        }
        return rejected;
    }

    private AttemptResult shortened(AttemptResult result) {
        String excerpt = result.excerpt();
        int limit = delivery.responseExcerptBytes();
        return excerpt == null || excerpt.length() <= limit ? result
                : result.withAnswer(result.statusCode(), excerpt.substring(0, limit));
    }

    @PreDestroy
    void close() {
        http.close();
    }
}
