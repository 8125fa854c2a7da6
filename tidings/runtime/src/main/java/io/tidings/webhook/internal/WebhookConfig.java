package io.tidings.webhook.internal;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.quarkus.runtime.annotations.ConfigPhase;
import io.quarkus.runtime.annotations.ConfigRoot;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Webhook endpoints: what URLs they may have, how secrets rotate, when failing ones are disabled. */
@ConfigRoot(phase = ConfigPhase.RUN_TIME)
@ConfigMapping(prefix = "tidings.webhooks")
public interface WebhookConfig {

    /** Accept plain http:// URLs. Defaults to false: https only. */
    @WithDefault("false")
    boolean allowHttp();

    /**
     * Accept URLs whose host is or resolves to a loopback, private, link-local, cloud-metadata or
     * otherwise internal address. Defaults to false, so that webhooks cannot reach into your
     * network (SSRF). Checked when a webhook is saved and again before every request.
     */
    @WithDefault("false")
    boolean allowPrivateTargets();

    /** After a rotation, how long the previous secret keeps signing too. Defaults to 24h. */
    @WithDefault("24h")
    Duration secretOverlap();

    /** A webhook whose every delivery has failed for this long is disabled. Defaults to 5 days. */
    @WithDefault("5d")
    Duration disableAfter();

    /** A webhook with this many dead deliveries in a row is disabled. Defaults to 10. */
    @WithDefault("10")
    int disableAfterDeadDeliveries();

    /** The most webhooks one tenant may have. Defaults to 100. */
    @WithDefault("100")
    int maxPerTenant();

    /** The most dead deliveries one recover request puts back in the queue. Defaults to 10000. */
    @WithDefault("10000")
    int recoverMax();

    /** The shortest wait a webhook's own retry schedule may have between two attempts. Defaults to 10s. */
    @WithDefault("10s")
    Duration retryStepMin();

    /** The longest wait a webhook's own retry schedule may have between two attempts. Defaults to 1d. */
    @WithDefault("1d")
    Duration retryStepMax();

    /** The most retries a webhook's own schedule may have (attempts after the first). Defaults to 20. */
    @WithDefault("20")
    int retryStepsMax();

    /**
     * The DNS servers that webhook hosts are looked up with, as {@code host:port} (port 53 when left
     * out). Defaults to the system's (the hosts file and /etc/resolv.conf); lookups never block a
     * thread, and each waits at most {@code tidings.delivery.connect-timeout}.
     */
    Optional<List<String>> dnsServers();
}
