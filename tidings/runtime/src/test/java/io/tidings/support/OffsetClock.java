package io.tidings.support;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock that a test moves forward: its base clock's time plus an offset, in UTC. */
public class OffsetClock extends Clock {

    private final Clock base;
    private volatile Duration offset = Duration.ZERO;

    public OffsetClock(Clock base) {
        this.base = base;
    }

    /** Back to the base clock's time. */
    public void reset() {
        offset = Duration.ZERO;
    }

    public void advance(Duration by) {
        offset = offset.plus(by);
    }

    @Override
    public Instant instant() {
        return base.instant().plus(offset);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
