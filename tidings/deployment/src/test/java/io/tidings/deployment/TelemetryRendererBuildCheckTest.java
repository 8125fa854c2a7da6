package io.tidings.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.test.QuarkusUnitTest;
import io.tidings.outbox.Emits;
import io.tidings.outbox.Event;

/**
 * A type exported as telemetry needs a class that renders telemetry: one that leaves Event's
 * "exports nothing" in place does not build. A layer below may render it for its subclasses.
 */
class TelemetryRendererBuildCheckTest {

    abstract static class ShopEvent extends Event {
        @Override
        public ObjectNode toNotificationPayload() {
            return null;
        }
    }

    @Emits(value = "shop:order:placed", description = "An order was placed.", telemetry = true)
    static class OrderEvent extends ShopEvent {
    }

    abstract static class RenderingShopEvent extends ShopEvent {
        @Override
        public ObjectNode toTelemetryPayload() {
            return null;
        }
    }

    @Emits(value = "shop:cart:emptied", description = "A cart was emptied.", telemetry = true)
    static class CartEvent extends RenderingShopEvent {
    }

    @RegisterExtension
    static final QuarkusUnitTest BUILD = BuildFailures.application()
            .withApplicationRoot(jar -> jar.addClasses(ShopEvent.class, OrderEvent.class, RenderingShopEvent.class, CartEvent.class))
            .assertException(failure -> assertThat(failure)
                    .hasMessageContaining(OrderEvent.class.getName() + " declares shop:order:placed with telemetry = true"
                            + " but renders no telemetry: override toTelemetryPayload()")
                    .hasMessageNotContaining("shop:cart:emptied"));

    @Test
    void the_build_fails_naming_the_class_that_renders_no_telemetry() {
        // assertException above has checked the failure; this method makes JUnit run the build
    }
}
