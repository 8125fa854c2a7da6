package io.tidings.it.outbox.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.tidings.it.support.EmptyDatabaseTest;
import io.tidings.outbox.internal.TypePattern;

/**
 * The subscription-pattern rule has one definition per language: tidings_type_matches in SQL
 * (routes, the events API) and TypePattern in Java. These are its cases, and both must give the
 * answer each case gives.
 */
@QuarkusTest
class TypePatternRuleTest extends EmptyDatabaseTest {

    private record Case(String pattern, String type, boolean matches) {
    }

    private static final List<Case> CASES = List.of(
            new Case("*", "project:created", true),
            new Case("*", "anything:at_all", true),
            new Case("project:job:failed", "project:job:failed", true),
            new Case("project:job:failed", "project:job:failed:again", false),
            new Case("project:job:failed", "project:job", false),
            new Case("project:job:*", "project:job:failed", true),
            new Case("project:job:*", "project:job:pipeline_run:failed", true),
            new Case("project:job:*", "project:jobs:failed", false),
            new Case("project:job:*", "project:job", false),
            new Case("project:job:*", "project:created", false),
            new Case("project:*", "projects:created", false),
            new Case("project:*", "project:created", true));

    @Test
    void sql_and_java_answer_every_case_as_the_rule_does() throws Exception {
        for (Case rule : CASES) {
            assertThat(new TypePattern(rule.pattern()).matches(rule.type())).as("Java: %s", rule).isEqualTo(rule.matches());
            assertThat(db.value("SELECT tidings_type_matches(?, ?)", rule.pattern(), rule.type())).as("SQL: %s", rule)
                    .isEqualTo(rule.matches());
        }
    }
}
