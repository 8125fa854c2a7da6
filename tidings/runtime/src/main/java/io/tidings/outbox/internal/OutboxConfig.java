package io.tidings.outbox.internal;

import java.time.Duration;

import io.quarkus.runtime.annotations.ConfigPhase;
import io.quarkus.runtime.annotations.ConfigRoot;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Recording events. */
@ConfigRoot(phase = ConfigPhase.RUN_TIME)
@ConfigMapping(prefix = "tidings.outbox")
public interface OutboxConfig {

    /**
     * How long an idempotency key given to {@code registerEvent(event, key)} stays in force: a second
     * recording under it within this time records nothing and answers the first event's id. After
     * it, the key records anew, and retention removes it. Defaults to 24h.
     */
    @WithDefault("24h")
    Duration idempotencyWindow();
}
