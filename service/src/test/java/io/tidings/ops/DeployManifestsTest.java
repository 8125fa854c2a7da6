package io.tidings.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.tidings.it.support.Repository;

/** deploy/ parses, and agrees with the application's own settings. */
class DeployManifestsTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Path KUBERNETES = Repository.file("deploy", "kubernetes");

    @Test
    void every_manifest_parses_and_has_a_kind() throws IOException {
        try (Stream<Path> files = Files.list(KUBERNETES)) {
            List<Path> manifests = files.filter(f -> f.toString().endsWith(".yaml")).toList();
            assertThat(manifests).hasSizeGreaterThanOrEqualTo(6);
            for (Path manifest : manifests) {
                JsonNode document = YAML.readTree(manifest.toFile());
                assertThat(document.path("kind").asText()).as(manifest.toString()).isNotBlank();
                assertThat(document.at("/metadata/name").asText()).as(manifest.toString()).isEqualTo("tidings");
            }
        }
    }

    @Test
    void the_deployment_runs_three_replicas_with_probes_on_the_health_endpoints_and_the_http_port() throws IOException {
        JsonNode deployment = read("deployment.yaml");
        JsonNode container = deployment.at("/spec/template/spec/containers/0");
        int httpPort = Integer.parseInt(applicationProperties().getProperty("quarkus.http.port"));

        assertThat(deployment.at("/spec/replicas").asInt()).isEqualTo(3);
        assertThat(container.at("/ports/0/containerPort").asInt()).isEqualTo(httpPort);
        assertThat(container.at("/ports/0/name").asText()).isEqualTo("http");
        assertThat(container.at("/readinessProbe/httpGet/path").asText()).isEqualTo("/q/health/ready");
        assertThat(container.at("/livenessProbe/httpGet/path").asText()).isEqualTo("/q/health/live");
        assertThat(container.at("/startupProbe/httpGet/path").asText()).isEqualTo("/q/health/started");
        for (String probe : List.of("readinessProbe", "livenessProbe", "startupProbe")) {
            assertThat(container.at("/" + probe + "/httpGet/port").asText()).isEqualTo("http");
        }
        Duration grace = Duration.parse("PT" + defaultOf("shutdownGrace").toUpperCase());
        assertThat(deployment.at("/spec/template/spec/terminationGracePeriodSeconds").asLong())
                .as("Kubernetes must wait longer than the worker's shutdown grace").isGreaterThan(grace.toSeconds());
        assertThat(deployment.at("/spec/template/metadata/labels/app.kubernetes.io~1name").asText()).isEqualTo("tidings");
    }

    @Test
    void the_service_budget_and_monitor_point_at_the_http_port_and_metrics() throws IOException {
        assertThat(read("service.yaml").at("/spec/ports/0/targetPort").asText()).isEqualTo("http");
        assertThat(read("pdb.yaml").at("/spec/minAvailable").asInt())
                .isLessThan(read("deployment.yaml").at("/spec/replicas").asInt());
        JsonNode monitor = read("servicemonitor.yaml").at("/spec/endpoints/0");
        assertThat(monitor.path("path").asText()).isEqualTo("/q/metrics");
        assertThat(monitor.path("port").asText()).isEqualTo("http");
    }

    @Test
    void compose_and_the_container_image_use_the_http_port_and_no_embedded_database() throws IOException {
        String port = applicationProperties().getProperty("quarkus.http.port");
        JsonNode compose = YAML.readTree(Repository.file("deploy", "compose.yaml").toFile());
        assertThat(compose.at("/services/tidings/ports/0").asText()).endsWith(":" + port);
        assertThat(compose.at("/services/tidings/environment/QUARKUS_DATASOURCE_JDBC_URL").asText()).startsWith("jdbc:postgresql://");
        String dockerfile = Files.readString(Repository.file("deploy", "Dockerfile.jvm"));
        assertThat(dockerfile).contains("EXPOSE " + port, "TIDINGS_EMBEDDED_POSTGRES_ENABLED=false");
        assertThat(read("configmap.yaml").at("/data/TIDINGS_EMBEDDED_POSTGRES_ENABLED").asText()).isEqualTo("false");
    }

    private static JsonNode read(String name) throws IOException {
        return YAML.readTree(KUBERNETES.resolve(name).toFile());
    }

    private static Properties applicationProperties() throws IOException {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(Path.of("src", "main", "resources", "application.properties"))) {
            properties.load(reader);
        }
        return properties;
    }

    private static String defaultOf(String method) {
        try {
            return io.tidings.delivery.internal.WorkerConfig.class.getMethod(method)
                    .getAnnotation(io.smallrye.config.WithDefault.class).value();
        } catch (NoSuchMethodException e) {
            throw new AssertionError(e);
        }
    }
}
