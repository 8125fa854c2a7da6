package io.tidings.outbox.internal;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** What a pattern may be; what it matches is TypePatternRuleTest's, for Java and SQL at once. */
class TypePatternTest {

    @Test
    void malformed_patterns_are_refused_with_what_to_write_instead() {
        for (String bad : new String[] { "", "project:", "*:job", "Project:created", "project:*:failed", "project**" }) {
            assertThatThrownBy(() -> new TypePattern(bad)).hasMessageContaining("project:*");
        }
    }
}
