package io.tidings.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.test.QuarkusUnitTest;
import io.tidings.outbox.Emits;

/**
 * A new version of a type's schemas is compared with the one before it: a change that breaks its
 * readers fails the build unless the version is declared breaking, and the previous version's
 * files must stay.
 */
class SchemaVersionBuildCheckTest {

    @Emits(value = "shop:order_placed", description = "An order was placed.", schemaVersion = 2)
    static class Placed {
    }

    @Emits(value = "shop:order_paid", description = "An order was paid.", schemaVersion = 2, breaking = true)
    static class Paid {
    }

    @Emits(value = "shop:order_shipped", description = "An order was shipped.", schemaVersion = 2)
    static class Shipped {
    }

    @RegisterExtension
    static final QuarkusUnitTest BUILD = BuildFailures.application()
            .withApplicationRoot(jar -> jar.addClasses(Placed.class, Paid.class, Shipped.class)
                    .addAsResource(schema("order_placed", 1, true, "placed", "paid"), "schemas/shop.order_placed/v1.notification.json")
                    .addAsResource(schema("order_placed", 2, false, "placed"), "schemas/shop.order_placed/v2.notification.json")
                    .addAsResource(schema("order_paid", 1, true, "paid"), "schemas/shop.order_paid/v1.notification.json")
                    .addAsResource(schema("order_paid", 2, false, "paid"), "schemas/shop.order_paid/v2.notification.json")
                    .addAsResource(schema("order_shipped", 2, true, "shipped"), "schemas/shop.order_shipped/v2.notification.json"))
            .assertException(failure -> assertThat(failure.getMessage())
                    .contains("schemas/shop.order_placed/v2.notification.json: $.total was removed since v1",
                            "schemas/shop.order_placed/v2.notification.json: $.status no longer allows [paid] since v1",
                            "breaking = true",
                            "keep schemas/shop.order_shipped/v1.notification.json beside schemas/shop.order_shipped/v2.notification.json")
                    .doesNotContain("shop.order_paid"));

    @Test
    void a_breaking_change_fails_the_build_unless_it_is_declared() {
        // assertException above has checked the failure; this method makes JUnit run the build
    }

    private static StringAsset schema(String name, int version, boolean withTotal, String... statuses) {
        String total = withTotal ? ", \"total\": {\"type\": \"number\", \"description\": \"What it costs.\"}" : "";
        return new StringAsset("""
                {"$schema": "https://json-schema.org/draft/2020-12/schema",
                 "$id": "https://shop.example/%s/v%d/notification.json", "version": %d, "type": "object",
                 "description": "An order.", "additionalProperties": false,
                 "properties": {"status": {"type": "string", "enum": ["%s"], "description": "Where the order is."}%s}}
                """.formatted(name, version, version, String.join("\", \"", statuses), total));
    }
}
