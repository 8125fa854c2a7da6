package io.tidings.analytics.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PseudonymKeyTest {

    @Test
    void the_key_comes_from_the_configuration_or_its_file_before_the_database(@TempDir Path directory) throws Exception {
        Path file = directory.resolve("pseudonym-key");
        Files.writeString(file, "from-a-mounted-secret\n");
        assertThat(Installation.configuredKey(config(Map.of("pseudonymKeyFile", Optional.of(file)))))
                .contains("from-a-mounted-secret");
        assertThat(Installation.configuredKey(config(Map.of("pseudonymKey", Optional.of("inline"), "pseudonymKeyFile", Optional.of(file)))))
                .contains("inline");
        assertThat(Installation.configuredKey(config(Map.of()))).as("the database's").isEmpty();
    }

    private static AnalyticsConfig config(Map<String, Optional<?>> values) {
        return (AnalyticsConfig) Proxy.newProxyInstance(AnalyticsConfig.class.getClassLoader(), new Class<?>[] { AnalyticsConfig.class },
                (proxy, method, args) -> values.getOrDefault(method.getName(), Optional.empty()));
    }
}
