package io.tidings.http.internal;

import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.RequestOptions;

import io.tidings.delivery.AttemptResult;
import io.tidings.delivery.internal.DeliveryConfig;

/**
 * One attempt as an HTTP POST, for the kinds that speak HTTP (webhooks, analytics): non-blocking, on
 * pooled keep-alive connections, with a total timeout from the first byte sent to the last byte
 * received, and reading no more of the response than asked (a receiver cannot fill our memory).
 * What a status means is decided here, not in the core: 2xx is delivered, 410 Gone is gone for
 * good, anything else a failure that honours Retry-After. Never completes exceptionally.
 */
public final class HttpPost {

    private static final String VERSION = libraryVersion();

    private final Vertx vertx;
    private final HttpClient client;
    private final Duration timeout;
    private final Clock clock;

    private HttpPost(Vertx vertx, HttpClientOptions options, Duration timeout, Clock clock) {
        this.vertx = vertx;
        this.client = vertx.createHttpClient(options);
        this.timeout = timeout;
        this.clock = clock;
    }

    /** A client as every HTTP sender needs it: {@code tidings.delivery} timeouts, keep-alive, no redirects. */
    public static HttpPost forDeliveries(Vertx vertx, DeliveryConfig config, int maxConnectionsPerServer, Clock clock) {
        return new HttpPost(vertx, new HttpClientOptions()
                .setConnectTimeout((int) config.connectTimeout().toMillis())
                .setKeepAlive(true)
                .setMaxPoolSize(maxConnectionsPerServer)
                .setMaxRedirects(0), config.timeout(), clock);
    }

    /** The longest one request can take: a name lookup and a connect, each within the connect timeout, then the request's own. */
    public static Duration longestAttempt(DeliveryConfig config) {
        return config.timeout().plus(config.connectTimeout().multipliedBy(2));
    }

    /**
     * The user-agent of Tidings' requests, for example {@code Tidings/1.2.0 (webhooks)}: the
     * library's own version, not the host application's ({@code quarkus.application.version}).
     */
    public static String userAgent(String purpose) {
        return "Tidings/" + VERSION + " (" + purpose + ")";
    }

    /** Tidings' own version, as built, or {@code dev}. */
    public static String version() {
        return VERSION;
    }

    private static String libraryVersion() {
        Properties properties = new Properties();
        try (InputStream resource = HttpPost.class.getResourceAsStream("/io/tidings/tidings.properties")) {
            if (resource != null) {
                properties.load(resource);
            }
        } catch (IOException e) {
            // named "dev" below
        }
        return properties.getProperty("version", "dev");
    }

    /** @param responseLimit how many bytes of the response body the result keeps */
    public CompletionStage<AttemptResult> send(RequestOptions request, Buffer body, int responseLimit) {
        Instant startedAt = clock.instant();
        long started = System.nanoTime();
        CompletableFuture<AttemptResult> result = new CompletableFuture<>();
        client.request(request).onComplete(opened -> {
            if (opened.failed()) {
                result.complete(failure(startedAt, started, opened.cause()));
                return;
            }
            exchange(opened.result(), body, responseLimit, startedAt, started, result);
        });
        return result;
    }

    public void close() {
        client.close();
    }

    /** A failed attempt, described by its exception's message. */
    public static AttemptResult failure(Instant startedAt, long startedNanos, Throwable error) {
        String message = error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage();
        return AttemptResult.failed(startedAt, elapsed(startedNanos), message);
    }

    /** What an answer with this status means for the delivery. */
    static AttemptResult answered(Instant startedAt, Duration duration, int status, String excerpt, Duration retryAfter) {
        if (status >= 200 && status < 300) {
            return AttemptResult.delivered(startedAt, duration, null).withAnswer(status, excerpt);
        }
        AttemptResult failed = AttemptResult.failed(startedAt, duration, "HTTP " + status).withAnswer(status, excerpt);
        return status == 410 ? failed.asGone("HTTP 410 Gone: the receiver no longer accepts these messages")
                : failed.withRetryAfter(retryAfter);
    }

    private void exchange(HttpClientRequest request, Buffer body, int responseLimit, Instant startedAt, long started,
            CompletableFuture<AttemptResult> result) {
        AtomicBoolean timedOut = new AtomicBoolean();
        long timer = vertx.setTimer(timeout.toMillis(), id -> {
            timedOut.set(true);
            request.reset(0, new TimeoutException());
        });
        result.whenComplete((done, error) -> vertx.cancelTimer(timer));
        request.send(body).onComplete(sent -> {
            if (sent.failed()) {
                result.complete(timedOut.get() ? timedOut(startedAt, started) : failure(startedAt, started, sent.cause()));
                return;
            }
            read(sent.result(), responseLimit, startedAt, started, timedOut, result);
        });
    }

    private void read(HttpClientResponse response, int limit, Instant startedAt, long started, AtomicBoolean timedOut,
            CompletableFuture<AttemptResult> result) {
        Buffer excerpt = Buffer.buffer();
        response.handler(chunk -> {
            if (excerpt.length() < limit) {
                excerpt.appendBuffer(chunk, 0, Math.min(chunk.length(), limit - excerpt.length()));
            }
        });
        response.exceptionHandler(error -> result.complete(timedOut.get() ? timedOut(startedAt, started)
                : failure(startedAt, started, error)));
        response.endHandler(end -> result.complete(answered(startedAt, elapsed(started), response.statusCode(),
                excerpt.length() == 0 ? null : excerpt.toString(), RetryAfter.parse(response.getHeader("retry-after"), clock.instant()))));
    }

    private AttemptResult timedOut(Instant startedAt, long started) {
        return AttemptResult.failed(startedAt, elapsed(started), "timed out after " + timeout.toSeconds() + "s");
    }

    private static Duration elapsed(long started) {
        return Duration.ofNanos(System.nanoTime() - started);
    }
}
