package io.tidings.outbox.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

/** What a pattern may be; what it matches is TypePatternRuleTest's, for Java and SQL at once. */
class TypePatternTest {

    @Test
    void malformed_patterns_are_refused_with_what_to_write_instead() {
        for (String bad : new String[] { "", "project:", "*:job", "Project:created", "project:*:failed", "project**",
                "project:*@1", "*@1", "project:created@0", "project:created@", "project:created@1@2" }) {
            assertThatThrownBy(() -> new TypePattern(bad)).hasMessageContaining("project:*");
        }
    }

    @Test
    void an_exact_type_may_pin_a_version_the_type_renders_once_and_only_for_a_webhook() {
        EventType renamed = new EventType("project:renamed", "", 2, false, false, List.of(1), List.of(1));
        EventType created = new EventType("project:created", "", 1, false);
        TypePattern pinned = new TypePattern("project:renamed@1");
        assertThat(pinned.typePattern()).isEqualTo("project:renamed");
        assertThat(pinned.pinnedVersion()).isEqualTo(1);
        assertThat(pinned.matches("project:renamed")).isTrue();
        assertThat(new TypePattern("project:*").pinnedVersion()).isZero();
        assertThat(TypePattern.coveringSomeWithPins(List.of("project:renamed@1", "project:created@1", "project:*"),
                List.of(renamed, created))).hasSize(3);
        assertThatThrownBy(() -> TypePattern.coveringSomeWithPins(List.of("project:renamed@3"), List.of(renamed)))
                .hasMessageContaining("it is rendered at 1, 2");
        assertThatThrownBy(() -> TypePattern.coveringSomeWithPins(List.of("project:renamed@1", "project:renamed@2"), List.of(renamed)))
                .hasMessageContaining("a second time");
        assertThatThrownBy(() -> TypePattern.coveringSome(List.of("project:renamed@1"), List.of(renamed)))
                .hasMessageContaining("only a webhook's subscriptions may");
    }
}
