package io.tidings.webhook.internal;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;


import io.tidings.delivery.AttemptResult;
import io.tidings.delivery.ClaimedDelivery;
import io.tidings.delivery.DeliverySender;
import io.tidings.delivery.internal.DeliveryConfig;
import io.tidings.http.internal.HttpPost;
import io.tidings.delivery.internal.WorkerConfig;
import io.tidings.outbox.internal.EventTypeRegistry;
import io.tidings.outbox.internal.SchemaIds;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;

/**
 * POSTs webhook messages as the Standard Webhooks specification describes them, signed with every
 * secret in force, on Vert.x' non-blocking client with pooled keep-alive connections. Redirects
 * are not followed, and the target is checked by the {@link UrlGuard} before every attempt. One
 * attempt has {@code tidings.delivery.timeout} from the first byte sent to the last byte received.
 */
@Singleton
public class WebhookSender implements DeliverySender {

    public static final String KIND = "webhook";
    static final String SCHEMA_VERSION_HEADER = "tidings-schema-version";
    static final String SCHEMA_HEADER = "tidings-schema";
    // As long as the JDK caches a successful lookup by default (networkaddress.cache.ttl).
    private static final java.time.Duration DNS_REUSE = java.time.Duration.ofSeconds(30);

    private final UrlGuard guard;
    private final DeliveryConfig config;
    private final Clock clock;
    private final String userAgent;
    private final HttpPost http;
    private final HostResolver hosts;
    private final DnsLookup dns;
    private final OAuthTokens tokens;
    private final EventTypeRegistry types;
    private final SchemaIds schemaIds;

    @Inject
    public WebhookSender(Vertx vertx, DeliveryConfig config, WorkerConfig workerConfig, WebhookConfig webhooks,
            UrlGuard guard, Clock clock, EventTypeRegistry types, SchemaIds schemaIds) {
        this.types = types;
        this.schemaIds = schemaIds;
        this.guard = guard;
        this.config = config;
        this.clock = clock;
        this.userAgent = HttpPost.userAgent("webhooks");
        // Vert.x pools connections per server address, and many webhooks can share one host: a pool
        // as small as a lane would let one hanging path hold every connection to that host. The
        // lanes bound each webhook's concurrency; the pool only bounds the instance's.
        this.http = HttpPost.forDeliveries(vertx, config, workerConfig.maxInFlight(), clock);
        this.dns = new DnsLookup(vertx.nettyEventLoopGroup().next(), config.connectTimeout(), webhooks.dnsServers()
                .map(servers -> servers.stream().map(WebhookSender::server).toList()).orElse(List.of()));
        this.hosts = new HostResolver(host -> dns.resolveAll(host).thenApply(guard::checked), config.connectTimeout(),
                DNS_REUSE, System::nanoTime);
        this.tokens = new OAuthTokens(http, hosts::resolve, guard, userAgent, System::nanoTime);
    }

    @Override
    public String kind() {
        return KIND;
    }

    // One request. A webhook with an OAuth client may fetch its token first (and again once, refused
    // a kept one at once): up to two requests' time, which the lease's renewal covers while the
    // database answers; sized for that, every webhook's lease would double for a few.
    @Override
    public java.time.Duration longestAttempt() {
        return HttpPost.longestAttempt(config);
    }

    /**
     * The checked address of a webhook's host, looked up as its sends look it up: through
     * {@code tidings.webhooks.dns-servers}, within the connect timeout. Completes exceptionally with
     * a {@link UrlGuard.RefusedUrl} for an internal address, a {@link java.util.concurrent.TimeoutException} when too slow.
     */
    public CompletableFuture<InetAddress> resolve(String host) {
        return hosts.resolve(host);
    }

    @Override
    public CompletionStage<AttemptResult> send(ClaimedDelivery delivery) {
        Instant startedAt = clock.instant();
        long started = System.nanoTime();
        CompletableFuture<AttemptResult> result = new CompletableFuture<>();
        URI uri;
        try {
            uri = guard.parse(url(delivery));
        } catch (RuntimeException refused) {
            return CompletableFuture.completedFuture(HttpPost.failure(startedAt, started, refused));
        }
        // The request goes to the very address that was checked, so DNS cannot be rebound in between.
        hosts.resolve(uri.getHost()).whenComplete((address, error) -> {
            if (error != null) {
                result.complete(HttpPost.failure(startedAt, started, unwrap(error)));
            } else {
                authorized(delivery, new CheckedTarget(uri, address), startedAt, started, result, true);
            }
        });
        return result;
    }

    // A webhook with an OAuth client sends its bearer token; a receiver that refuses a kept token
    // (401) gets the message once more, within the attempt, with a token fetched anew.
    private void authorized(ClaimedDelivery delivery, CheckedTarget target, Instant startedAt, long started,
            CompletableFuture<AttemptResult> result, boolean mayRenew) {
        OAuthTokens.Client client = OAuthTokens.Client.of(delivery.credentials());
        if (client == null) {
            open(delivery, target, null, result);
            return;
        }
        tokens.token(client).whenComplete((token, error) -> {
            if (error != null) {
                result.complete(HttpPost.failure(startedAt, started, unwrap(error)));
                return;
            }
            CompletableFuture<AttemptResult> sent = new CompletableFuture<>();
            open(delivery, target, token, sent);
            sent.whenComplete((attempt, failed) -> {
                boolean refused = attempt != null && Integer.valueOf(401).equals(attempt.statusCode());
                if (refused) {
                    tokens.refused(client, token); // the next send fetches another, whatever happens to this one
                }
                boolean refusedAtOnce = System.nanoTime() - started < config.connectTimeout().toNanos();
                if (refused && mayRenew && refusedAtOnce) {
                    authorized(delivery, target, startedAt, started, result, false);
                } else {
                    result.complete(attempt);
                }
            });
        });
    }

    private void open(ClaimedDelivery delivery, CheckedTarget target, String bearer, CompletableFuture<AttemptResult> result) {
        String body = WebhookMessage.body(delivery);
        String id = delivery.eventId().toString();
        long timestamp = clock.instant().getEpochSecond();
        RequestOptions request = new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setAbsoluteURI(url(delivery))
                .setServer(target.server())
                .setFollowRedirects(false)
                .putHeader("content-type", "application/json")
                .putHeader("user-agent", userAgent)
                .putHeader("webhook-id", id)
                .putHeader("webhook-timestamp", Long.toString(timestamp));
        delivery.credentials().path(WebhookHeaders.KEY).fields()
                .forEachRemaining(header -> request.putHeader(header.getKey(), header.getValue().asText()));
        if (bearer != null) {
            request.putHeader("authorization", "Bearer " + bearer);
        }
        if (delivery.schemaVersion() > 0) { // which of the type's versions data is: the current, or the one a webhook pins
            request.putHeader(SCHEMA_VERSION_HEADER, Integer.toString(delivery.schemaVersion()));
            types.find(delivery.eventType()).flatMap(type -> schemaIds.notification(type.atVersion(delivery.schemaVersion())))
                    .ifPresent(schema -> request.putHeader(SCHEMA_HEADER, schema));
        }
        if (!delivery.secrets().isEmpty()) {
            request.putHeader("webhook-signature", WebhookSignature.header(delivery.secrets(), id, timestamp, body));
        }
        if (delivery.traceparent() != null) {
            request.putHeader("traceparent", delivery.traceparent());
            if (delivery.tracestate() != null) {
                request.putHeader("tracestate", delivery.tracestate());
            }
        }
        http.send(request, Buffer.buffer(body), config.responseExcerptBytes())
                .whenComplete((attempt, error) -> result.complete(attempt));
    }

    /** A webhook's one setting: where it is. */
    static String url(ClaimedDelivery delivery) {
        return delivery.target().path("url").asText("");
    }

    private static Throwable unwrap(Throwable error) {
        if (error instanceof java.util.concurrent.CompletionException && error.getCause() != null) {
            error = error.getCause();
        }
        if (error instanceof java.util.concurrent.TimeoutException) {
            return new java.net.UnknownHostException("the host's address lookup took too long");
        }
        return error;
    }

    private static InetSocketAddress server(String hostAndPort) {
        int colon = hostAndPort.lastIndexOf(':');
        return colon < 0 ? new InetSocketAddress(hostAndPort, 53)
                : new InetSocketAddress(hostAndPort.substring(0, colon), Integer.parseInt(hostAndPort.substring(colon + 1)));
    }

    @PreDestroy
    void close() {
        http.close();
        dns.close();
    }
}
