package io.tidings.it.delivery;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/** The worker switched on, with a short schedule and timeout, and small lanes. */
public class WorkerProfile implements QuarkusTestProfile {

    /** The host application's version, which Tidings' requests must not give as their own. */
    public static final String HOST_VERSION = "7.7.7-host";

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "tidings.worker.enabled", "true",
                "tidings.worker.poll-interval", "1s",
                "tidings.worker.max-in-flight-per-subscriber", "4",
                "tidings.delivery.retry-schedule", "5s,5m",
                "tidings.delivery.timeout", "1s",
                "tidings.webhooks.disable-after-dead-deliveries", "3",
                "quarkus.application.version", HOST_VERSION);
    }
}
