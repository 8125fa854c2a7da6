package io.tidings.it.delivery;

import java.util.HashMap;
import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/** The worker switched on, with a short schedule and timeout, and small lanes. */
public class WorkerProfile implements QuarkusTestProfile {

    /** The host application's version, which Tidings' requests must not give as their own. */
    public static final String HOST_VERSION = "7.7.7-host";

    private static final Map<String, String> WORKER = Map.of(
            "tidings.worker.enabled", "true",
            "tidings.worker.poll-interval", "1s",
            "tidings.worker.max-in-flight-per-subscriber", "4",
            "tidings.delivery.retry-schedule", "5s,5m",
            "tidings.delivery.timeout", "1s",
            "tidings.webhooks.disable-after-dead-deliveries", "3",
            "quarkus.application.version", HOST_VERSION);

    @Override
    public Map<String, String> getConfigOverrides() {
        return WORKER;
    }

    /** These settings over the worker's: for a profile that needs a few more. */
    protected static Map<String, String> workerWith(Map<String, String> more) {
        Map<String, String> config = new HashMap<>(WORKER);
        config.putAll(more);
        return config;
    }
}
