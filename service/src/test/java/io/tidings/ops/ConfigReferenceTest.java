package io.tidings.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.tidings.it.support.Repository;

/**
 * Every tidings.* key, found in the compiled @ConfigMapping interfaces and in the configuration
 * model the extension's build makes for Quarkus' own reference (and the Dev UI), has a row in the
 * README's configuration table with its default: the reference cannot drift from the code.
 */
class ConfigReferenceTest {

    @Test
    void the_readme_documents_every_key_with_its_default() throws Exception {
        String readme = Files.readString(Repository.file("README.md"));
        List<String> keys = new ArrayList<>();
        for (Class<?> mapping : mappings()) {
            String prefix = mapping.getAnnotation(ConfigMapping.class).prefix();
            for (Method method : mapping.getDeclaredMethods()) {
                if (method.isDefault() || Modifier.isStatic(method.getModifiers()) || method.isSynthetic()) {
                    continue;
                }
                String key = prefix + "." + kebab(method.getName());
                keys.add(key);
                String row = row(readme, key);
                assertThat(row).as("README row for " + key).isNotNull();
                WithDefault value = method.getAnnotation(WithDefault.class);
                if (value != null) {
                    assertThat(row).as("README default of " + key).contains("`" + value.value() + "`");
                }
            }
        }
        assertThat(keys).as("mappings found").hasSizeGreaterThan(30);
    }

    @Test
    void every_key_of_the_extensions_quarkus_config_model_has_its_readme_row() throws Exception {
        String readme = Files.readString(Repository.file("README.md"));
        JsonNode model = new ObjectMapper().readTree(Repository.file("tidings", "runtime", "target", "classes", "META-INF",
                "quarkus-config-doc", "quarkus-config-model.json").toFile());
        List<JsonNode> properties = model.findParents("path").stream().filter(node -> node.path("path").has("property")).toList();
        for (JsonNode property : properties) {
            String key = property.path("path").path("property").asText();
            String row = row(readme, key);
            assertThat(row).as("README row for " + key + ", which Quarkus' config reference lists").isNotNull();
            if (property.hasNonNull("defaultValue")) { // the model writes durations in capitals: 8H for 8h
                assertThat(row.toLowerCase(Locale.ROOT)).as("README default of " + key)
                        .contains("`" + property.get("defaultValue").asText().toLowerCase(Locale.ROOT) + "`");
            }
        }
        assertThat(properties).as("properties in the model").hasSizeGreaterThan(40);
    }

    /** The README's configuration row of the key, or null. */
    private static String row(String readme, String key) {
        return readme.lines().filter(line -> line.startsWith("| `" + key + "` |")).findFirst().orElse(null);
    }

    private static List<Class<?>> mappings() throws IOException, ClassNotFoundException {
        List<Class<?>> mappings = new ArrayList<>();
        for (Path classes : List.of(Path.of("target", "classes"), Repository.file("tidings", "runtime", "target", "classes"),
                Repository.file("kafka", "runtime", "target", "classes"), Repository.file("example", "target", "classes"),
                Repository.file("embedded-postgres", "target", "classes"))) {
            try (Stream<Path> files = Files.walk(classes.resolve("io/tidings"))) {
                for (Path file : files.filter(f -> f.toString().endsWith(".class") && !f.toString().contains("$")).toList()) {
                    String name = classes.relativize(file).toString().replace('/', '.').replaceAll("\\.class$", "");
                    Class<?> type = Class.forName(name, false, ConfigReferenceTest.class.getClassLoader());
                    if (type.isInterface() && type.isAnnotationPresent(ConfigMapping.class)) {
                        mappings.add(type);
                    }
                }
            }
        }
        return mappings;
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase();
    }
}
