package io.tidings.api.internal;

import java.util.Optional;

import io.quarkus.runtime.annotations.ConfigPhase;
import io.quarkus.runtime.annotations.ConfigRoot;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Access to the management API. */
@ConfigRoot(phase = ConfigPhase.RUN_TIME)
@ConfigMapping(prefix = "tidings.api")
public interface ApiConfig {

    /**
     * The key that may create tenants and their API keys ({@code Authorization: Bearer <key>}). No
     * default: without it, the tenant endpoints answer 401. Use 32 or more random characters.
     */
    Optional<String> adminKey();

    /** The largest request body accepted; larger ones are answered 413. Defaults to 256K. */
    @WithDefault("256K")
    String maxBody();

    /**
     * How many requests that send or re-queue deliveries (a webhook's test, a delivery's retry, a
     * recover) one tenant may make a minute, on each instance; the burst is the same number.
     * Defaults to 60.
     */
    @WithDefault("60")
    int tenantOperationsPerMinute();

    /**
     * How many requests to the endpoints that need no credential (relay, example API,
     * {@code /collected}) one instance serves at once; more get 503 at once. Below the connection
     * pool's size, so that they can never take every connection from the worker. Defaults to 8.
     */
    @WithDefault("8")
    int publicConcurrency();
}
