package io.tidings.outbox.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.tidings.outbox.Emits;
import io.tidings.outbox.internal.DeclaredEventTypes.Declaration;

class EventTypeDeclarationsTest {

    @Emits(value = "shop:order:placed", description = "An order was placed.")
    @Emits(value = "shop:order:paid", description = "An order was paid.", schemaVersion = 2, telemetry = true)
    static class OrderEvent {
    }

    @Emits(value = "Shop Order Placed", description = "not a name")
    static class Malformed {
    }

    @Emits(value = "shop:order:shipped", description = "An order left.", schemaVersion = 3, versions = { 3, 1, 2 }, deprecated = 1)
    static class Versioned {
    }

    @Emits(value = "shop:order:shipped", description = "An order left.", schemaVersion = 2, versions = { 2, 3 })
    static class AheadOfItself {
    }

    @Emits(value = "shop:order:shipped", description = "An order left.", schemaVersion = 2, versions = { 1, 2 }, deprecated = 2)
    static class DeprecatesTheCurrent {
    }

    @Test
    void a_class_declares_its_types_with_what_they_may_do_and_they_come_in_name_order() {
        assertThat(DeclaredEventTypes.declared(Declaration.of(List.of(OrderEvent.class)))).containsExactly(
                new EventType("shop:order:paid", "An order was paid.", 2, true, false),
                new EventType("shop:order:placed", "An order was placed.", 1, false, false));
    }

    @Test
    void a_class_may_render_older_versions_and_deprecate_some_of_them() {
        EventType shipped = DeclaredEventTypes.declared(Declaration.of(List.of(Versioned.class))).get(0);
        assertThat(shipped.olderVersions()).containsExactly(1, 2);
        assertThat(shipped.versions()).containsExactly(1, 2, 3);
        assertThat(shipped.deprecated()).containsExactly(1);
        assertThat(shipped.renders(2)).isTrue();
        assertThat(shipped.renders(4)).isFalse();
        assertThatThrownBy(() -> DeclaredEventTypes.declared(Declaration.of(List.of(AheadOfItself.class))))
                .hasMessageContaining("lists version 3 in versions");
        assertThatThrownBy(() -> DeclaredEventTypes.declared(Declaration.of(List.of(DeprecatesTheCurrent.class))))
                .hasMessageContaining("deprecates version 2, which it does not render as an older version");
    }

    @Test
    void a_type_declared_twice_or_malformed_is_refused_naming_the_classes() {
        List<Declaration> twice = Declaration.of(List.of(OrderEvent.class));
        Declaration again = new Declaration("com.example.CartEvent", twice.get(0).type());
        assertThatThrownBy(() -> DeclaredEventTypes.declared(List.of(twice.get(0), twice.get(1), again)))
                .hasMessageContaining("shop:order:placed is declared by both " + OrderEvent.class.getName() + " and com.example.CartEvent");
        assertThatThrownBy(() -> DeclaredEventTypes.declared(Declaration.of(List.of(Malformed.class))))
                .hasMessageContaining("@Emits(\"Shop Order Placed\") on " + Malformed.class.getName() + " is not an event type name");
    }
}
