package io.tidings.outbox.internal;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which event types a subscription covers: an exact type ({@code project:job:failed}), every type
 * below a prefix ({@code project:*} covers {@code project:created} and
 * {@code project:job:pipeline_run:failed}), or every type ({@code *}).
 *
 * <p>The database has the same rule once, as {@code tidings_type_matches} (db/tidings/R__routing.sql),
 * for routes and for the events API; this is it for Java, where a type is matched without a
 * round trip (a pattern checked as it is saved, the analytics export's allow list).
 * TypePatternRuleTest holds the two to the same cases.
 */
public record TypePattern(String value) {

    private static final Pattern SYNTAX = Pattern.compile("\\*|[a-z][a-z0-9_]*(:[a-z][a-z0-9_]*)*(:\\*)?");
    private static final String ALL = "*";
    private static final String BELOW = ":*";

    public TypePattern {
        if (value == null || !SYNTAX.matcher(value).matches()) {
            throw new IllegalArgumentException("'" + value + "' is not an event-type pattern: use an event type such as "
                    + "project:job:failed, a prefix ending in :* such as project:*, or * for every type");
        }
    }

    /**
     * The patterns, each checked to cover at least one of the types.
     *
     * @throws IllegalArgumentException naming the pattern that is malformed or matches nothing
     */
    public static Set<TypePattern> coveringSome(List<String> values, Collection<EventType> types) {
        Set<TypePattern> patterns = new LinkedHashSet<>();
        for (String value : values) {
            TypePattern pattern = new TypePattern(value);
            if (types.stream().noneMatch(type -> pattern.matches(type.name()))) {
                throw new IllegalArgumentException("'" + value + "' matches no event type; GET /api/event-types lists them");
            }
            patterns.add(pattern);
        }
        return patterns;
    }

    public boolean matches(String type) {
        if (value.equals(ALL)) {
            return true;
        }
        if (value.endsWith(BELOW)) {
            return type.startsWith(prefix());
        }
        return value.equals(type);
    }

    private String prefix() {
        return value.substring(0, value.length() - 1);
    }

    @Override
    public String toString() {
        return value;
    }
}
