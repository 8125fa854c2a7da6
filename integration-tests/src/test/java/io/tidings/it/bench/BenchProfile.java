package io.tidings.it.bench;

import java.util.List;
import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/** The recording side of the benchmark: no worker in this JVM (a child process drains), analytics on. */
public class BenchProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "tidings.worker.enabled", "false",
                "tidings.analytics.enabled", "true",
                "tidings.analytics.endpoint", "http://127.0.0.1:9/unused",
                "quarkus.log.category.\"io.tidings\".level", "INFO",
                "quarkus.datasource.jdbc.max-size", "40",
                // with the bench profile's OpenTelemetry: spans go to BenchSpans' exporter, which drops them
                "quarkus.otel.exporter.otlp.enabled", "false");
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(DurablePostgres.class));
    }
}
