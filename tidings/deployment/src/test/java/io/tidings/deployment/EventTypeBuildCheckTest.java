package io.tidings.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.test.QuarkusUnitTest;
import io.tidings.outbox.Emits;

/** A type two classes declare does not build, and the failure names both classes. */
class EventTypeBuildCheckTest {

    @Emits(value = "shop:order:placed", description = "An order was placed.")
    static class OrderEvent {
    }

    @Emits(value = "shop:cart:emptied", description = "A cart was emptied.")
    @Emits(value = "shop:order:placed", description = "Declared here too, by mistake.")
    static class CartEvent {
    }

    @RegisterExtension
    static final QuarkusUnitTest BUILD = BuildFailures.application()
            .withApplicationRoot(jar -> jar.addClasses(OrderEvent.class, CartEvent.class))
            .assertException(failure -> assertThat(failure).hasMessageContainingAll(
                    "Event type shop:order:placed is declared by both", OrderEvent.class.getName(), CartEvent.class.getName()));

    @Test
    void the_build_fails_naming_both_classes() {
        // assertException above has checked the failure; this method makes JUnit run the build
    }
}
