package io.tidings.stream.internal;

import java.time.Duration;

import io.quarkus.runtime.annotations.ConfigPhase;
import io.quarkus.runtime.annotations.ConfigRoot;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Streams: subscribers that read the events as a log. They run where the delivery worker runs. */
@ConfigRoot(phase = ConfigPhase.RUN_TIME)
@ConfigMapping(prefix = "tidings.streams")
public interface StreamConfig {

    /**
     * How long a stream belongs to the instance reading it, on the database's clock; renewed every
     * third of it. When the instance dies, another takes the stream over once the lease runs out.
     * A kind whose one batch can take longer than two thirds of this is leased for 1.5 times that
     * instead ({@code kafka}: 67.5s). Defaults to 30s.
     */
    @WithDefault("30s")
    Duration lease();

    /** How often each instance looks for streams without a reader, and idle streams for news. Defaults to 1s. */
    @WithDefault("1s")
    Duration pollInterval();

    /** Batches a reader may have sent and not yet had answered: reading the next while the sink takes the last. Defaults to 4. */
    @WithDefault("4")
    int batchesInFlight();

    /**
     * How long a stream that has caught up waits, once woken by a commit, before it reads: under
     * load, commits that come together are read (and sent) together instead of one read each.
     * Defaults to 10ms.
     */
    @WithDefault("10ms")
    Duration readDelay();

    /** The first wait after a sink failed a batch, doubled at each failure that follows. Defaults to 1s. */
    @WithDefault("1s")
    Duration firstRetry();

    /** The longest wait between two tries of a failing sink. Defaults to 30s. */
    @WithDefault("30s")
    Duration longestRetry();

    /**
     * A stream whose cursor is further behind than this is marked behind: shown in health, metrics
     * and the API, and no longer holding retention back, so that events it has not read may be
     * purged. Defaults to 7d.
     */
    @WithDefault("7d")
    Duration maxLag();
}
