package io.tidings.outbox.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TypePatternTest {

    @Test
    void a_prefix_pattern_matches_every_type_below_it_and_nothing_beside_it() {
        TypePattern jobs = new TypePattern("project:job:*");
        assertThat(jobs.matches("project:job:failed")).isTrue();
        assertThat(jobs.matches("project:job:pipeline_run:failed")).isTrue();
        assertThat(jobs.matches("project:jobs:failed")).isFalse();
        assertThat(jobs.matches("project:created")).isFalse();
        assertThat(new TypePattern("project:*").matches("projects:created")).isFalse();
    }

    @Test
    void an_exact_type_matches_itself_only_and_star_matches_all() {
        assertThat(new TypePattern("project:job:failed").matches("project:job:failed")).isTrue();
        assertThat(new TypePattern("project:job:failed").matches("project:job:failed:again")).isFalse();
        assertThat(new TypePattern("*").matches("anything:at_all")).isTrue();
    }

    @Test
    void malformed_patterns_are_refused_with_what_to_write_instead() {
        for (String bad : new String[] { "", "project:", "*:job", "Project:created", "project:*:failed", "project**" }) {
            assertThatThrownBy(() -> new TypePattern(bad)).hasMessageContaining("project:*");
        }
    }
}
