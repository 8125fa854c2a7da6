package io.tidings.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.test.QuarkusUnitTest;
import io.tidings.outbox.Emits;

/**
 * An application whose event types lack their schemas, or whose schemas break the rules, does not
 * build: the failure names each file to add or change, and what to change in it.
 */
class SchemaBuildCheckTest {

    @Emits(value = "shop:undocumented", description = "A type whose schema nobody wrote.")
    static class Undocumented {
    }

    @Emits(value = "shop:bare", description = "A type whose schema says nothing.", telemetry = true)
    static class Bare {
        public ObjectNode toTelemetryPayload() {
            return null;
        }
    }

    @RegisterExtension
    static final QuarkusUnitTest BUILD = BuildFailures.application()
            .withApplicationRoot(jar -> jar.addClasses(Undocumented.class, Bare.class)
                    .addAsResource(new StringAsset("{\"type\": \"object\", \"properties\": {\"total\": {\"type\": \"string\"}}}"),
                            "schemas/shop.bare/v1.notification.json")
                    .addAsResource(new StringAsset("{\"$id\": \"https://shop.example/bare/v1/telemetry.json\", \"version\": 1,"
                            + " \"type\": \"objekt\", \"properties\": {\"email\": {\"description\": \"Who\", \"x-pii\": true}}}"),
                            "schemas/shop.bare/v1.telemetry.json"))
            .assertException(failure -> assertThat(failure).hasMessageContainingAll(
                    "add schemas/shop.undocumented/v1.notification.json",
                    "schemas/shop.bare/v1.notification.json: $id must be",
                    "schemas/shop.bare/v1.notification.json: \"version\" must be 1",
                    "schemas/shop.bare/v1.notification.json: $ must be closed",
                    "schemas/shop.bare/v1.notification.json: $.total needs a description",
                    "schemas/shop.bare/v1.telemetry.json: not a valid JSON Schema",
                    "schemas/shop.bare/v1.telemetry.json: a telemetry schema holds no personal field"));

    @Test
    void the_build_fails_naming_each_schema_to_add_or_change() {
        // assertException above has checked the failure; this method makes JUnit run the build
    }
}
