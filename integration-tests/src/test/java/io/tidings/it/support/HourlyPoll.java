package io.tidings.it.support;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/** A running worker and stream readers whose polls are an hour apart: within a test, only a notification wakes them. */
public class HourlyPoll implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("tidings.worker.enabled", "true", "tidings.worker.poll-interval", "1h", "tidings.streams.poll-interval", "1h");
    }
}
