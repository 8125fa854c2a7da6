package io.tidings.webhook.internal;

import java.net.InetAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.LongSupplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.tidings.delivery.AttemptResult;
import io.tidings.http.internal.HttpPost;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;

/**
 * Bearer tokens for webhooks whose receivers take OAuth 2.0 (the client credentials grant, RFC 6749
 * §4.4): fetched from the client's token URL, its host checked and pinned as a webhook's is, and
 * kept, per instance, until shortly before they expire or until a receiver refuses one (401). One
 * fetch at a time per client, however many sends wait for it.
 */
final class OAuthTokens {

    /** A webhook's client as its sealed credentials hold it. */
    record Client(String tokenUrl, String clientId, String clientSecret, String scope) {

        static Client of(JsonNode credentials) {
            JsonNode client = credentials.path(WebhookOAuth.KEY);
            return client.isObject() ? new Client(client.path("tokenUrl").asText(), client.path("clientId").asText(),
                    client.path("clientSecret").asText(), client.path("scope").asText(null)) : null;
        }
    }

    /** A token endpoint that answered no token: the attempt fails, and is tried again on the schedule. */
    static final class NoToken extends RuntimeException {
        NoToken(String message) {
            super(message);
        }
    }

    private record Token(String value, long usableUntil) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int LONGEST_ANSWER = 64 * 1024;
    // Renewed this long before it expires (or a fifth of its life, if that is shorter), so that no
    // send carries a token that expires on the way.
    private static final Duration MARGIN = Duration.ofSeconds(30);
    // A token whose answer gives no expires_in is kept this long, or until a receiver refuses it.
    private static final Duration DEFAULT_LIFE = Duration.ofHours(1);
    // However long a token endpoint says: a day at most, then it is fetched again.
    private static final Duration LONGEST_LIFE = Duration.ofDays(1);
    private static final Duration SWEEP_EVERY = Duration.ofMinutes(5);

    private final HttpPost http;
    private final Function<String, CompletableFuture<InetAddress>> hosts;
    private final UrlGuard guard;
    private final String userAgent;
    private final LongSupplier nanos;
    private final Map<Client, CompletableFuture<Token>> tokens = new ConcurrentHashMap<>();
    private final AtomicLong lastSweep;

    OAuthTokens(HttpPost http, Function<String, CompletableFuture<InetAddress>> hosts, UrlGuard guard, String userAgent,
            LongSupplier nanos) {
        this.http = http;
        this.hosts = hosts;
        this.guard = guard;
        this.userAgent = userAgent;
        this.nanos = nanos;
        this.lastSweep = new AtomicLong(nanos.getAsLong());
    }

    /** A token for the client: the one kept, while it is usable, else a new one. */
    CompletableFuture<String> token(Client client) {
        sweepNowAndThen();
        CompletableFuture<Token> fresh = new CompletableFuture<>();
        CompletableFuture<Token> kept = tokens.compute(client, (key, current) -> current == null || stale(current) ? fresh : current);
        if (kept == fresh) { // fetched outside the map's lock: a request may complete on this very thread
            fetch(client).whenComplete((token, error) -> {
                if (error != null) {
                    fresh.completeExceptionally(error);
                } else {
                    fresh.complete(token);
                }
            });
        }
        return kept.thenApply(Token::value);
    }

    // Tokens of clients no longer used (a webhook deleted, its client changed) go once stale, with
    // the secrets that key them.
    private void sweepNowAndThen() {
        long now = nanos.getAsLong();
        long last = lastSweep.get();
        if (now - last >= SWEEP_EVERY.toNanos() && lastSweep.compareAndSet(last, now)) {
            tokens.entrySet().removeIf(entry -> entry.getValue().isDone() && stale(entry.getValue()));
        }
    }

    /** Forgets the token a receiver refused, unless another has replaced it already. */
    void refused(Client client, String token) {
        tokens.computeIfPresent(client, (key, current) -> current.isDone() && !current.isCompletedExceptionally()
                && current.join().value().equals(token) ? null : current);
    }

    private boolean stale(CompletableFuture<Token> token) {
        return token.isCompletedExceptionally() || token.isDone() && nanos.getAsLong() - token.join().usableUntil() >= 0;
    }

    private CompletableFuture<Token> fetch(Client client) {
        URI uri;
        try {
            uri = guard.parse(client.tokenUrl());
        } catch (RuntimeException refused) {
            return CompletableFuture.failedFuture(new NoToken("the token URL is refused: " + refused.getMessage()));
        }
        long asked = nanos.getAsLong();
        return hosts.apply(uri.getHost()).thenCompose(address -> request(client, uri, address))
                .thenApply(answer -> token(answer, asked)).toCompletableFuture();
    }

    private CompletionStage<AttemptResult> request(Client client, URI uri, InetAddress address) {
        String basic = Base64.getEncoder().encodeToString((form(client.clientId()) + ":" + form(client.clientSecret()))
                .getBytes(StandardCharsets.UTF_8));
        String body = "grant_type=client_credentials" + (client.scope() == null ? "" : "&scope=" + form(client.scope()));
        RequestOptions request = new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(client.tokenUrl())
                .setServer(new CheckedTarget(uri, address).server()).setFollowRedirects(false)
                .putHeader("content-type", "application/x-www-form-urlencoded").putHeader("accept", "application/json")
                .putHeader("authorization", "Basic " + basic).putHeader("user-agent", userAgent);
        return http.send(request, Buffer.buffer(body), LONGEST_ANSWER);
    }

    private Token token(AttemptResult answer, long asked) {
        if (!answer.successful()) {
            throw new NoToken("the token endpoint " + (answer.statusCode() == null ? "failed: " + answer.describe()
                    : "answered HTTP " + answer.statusCode()));
        }
        JsonNode token;
        try {
            token = JSON.readTree(answer.excerpt() == null ? "" : answer.excerpt());
        } catch (java.io.IOException e) {
            throw new NoToken("the token endpoint answered no JSON");
        }
        String value = token.path("access_token").asText("");
        if (value.isEmpty() || !"bearer".equalsIgnoreCase(token.path("token_type").asText("bearer"))) {
            throw new NoToken("the token endpoint answered no bearer access_token");
        }
        long life = Math.min(Math.max(0, token.path("expires_in").asLong(DEFAULT_LIFE.toSeconds())), LONGEST_LIFE.toSeconds());
        long margin = Math.min(MARGIN.toSeconds(), life / 5);
        return new Token(value, asked + Duration.ofSeconds(Math.max(0, life - margin)).toNanos());
    }

    private static String form(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
