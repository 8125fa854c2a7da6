package io.tidings.it.support;

import java.time.Clock;

import jakarta.inject.Singleton;

import io.tidings.support.OffsetClock;

/**
 * The clock of every test application: real time plus an offset that a test can move forward, so
 * that a retry due in five minutes falls due without waiting five minutes.
 */
@Singleton
public class TestClock extends OffsetClock {

    public TestClock() {
        super(Clock.systemUTC());
    }
}
