package io.tidings.outbox.internal;

import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Which event types a subscription covers: an exact type ({@code project:job:failed}), every type
 * below a prefix ({@code project:*} covers {@code project:created} and
 * {@code project:job:pipeline_run:failed}), or every type ({@code *}). An exact type may pin the
 * version of its payload ({@code project:job:failed@1}): a webhook's subscription then receives that
 * version while the type's class still renders it.
 *
 * <p>The database has the same rule once, as {@code tidings_type_matches} (db/tidings/R__routing.sql),
 * for routes and for the events API; this is it for Java, where a type is matched without a
 * round trip (a pattern checked as it is saved, the analytics export's allow list).
 * TypePatternRuleTest holds the two to the same cases.
 */
public record TypePattern(String value) {

    private static final Pattern SYNTAX = Pattern.compile("\\*|[a-z][a-z0-9_]*(:[a-z][a-z0-9_]*)*((:\\*)|(@[1-9][0-9]{0,8}))?");
    private static final String ALL = "*";
    private static final String BELOW = ":*";
    private static final char PIN = '@';

    public TypePattern {
        if (value == null || !SYNTAX.matcher(value).matches()) {
            throw new IllegalArgumentException("'" + value + "' is not an event-type pattern: use an event type such as "
                    + "project:job:failed (or project:job:failed@1 for version 1 of its payload), a prefix ending in :* "
                    + "such as project:*, or * for every type");
        }
    }

    /** A pattern that may not pin a version: one that selects events rather than what a webhook receives. */
    public static TypePattern unpinned(String value) {
        TypePattern pattern = new TypePattern(value);
        if (pattern.pinnedVersion() > 0) {
            throw new IllegalArgumentException("'" + value + "' pins a version, which only a webhook's subscriptions may");
        }
        return pattern;
    }

    /**
     * The patterns, each checked to cover at least one of the types.
     *
     * @throws IllegalArgumentException naming the pattern that is malformed or matches nothing
     */
    public static Set<TypePattern> coveringSome(List<String> values, Collection<EventType> types) {
        Set<TypePattern> patterns = new LinkedHashSet<>();
        for (String value : values) {
            patterns.add(coveringOne(unpinned(value), types));
        }
        return patterns;
    }

    private static TypePattern coveringOne(TypePattern pattern, Collection<EventType> types) {
        if (types.stream().noneMatch(type -> pattern.matches(type.name()))) {
            throw new IllegalArgumentException("'" + pattern + "' matches no event type; GET /api/event-types lists them");
        }
        return pattern;
    }

    /**
     * As {@link #coveringSome}, where an exact type may pin one of the versions its class renders, once.
     *
     * @throws IllegalArgumentException naming the pattern whose pin the type does not render, or a type pinned twice
     */
    public static Set<TypePattern> coveringSomeWithPins(List<String> values, Collection<EventType> types) {
        Set<String> pinned = new HashSet<>();
        Set<TypePattern> patterns = new LinkedHashSet<>();
        for (String value : values) {
            TypePattern pattern = coveringOne(new TypePattern(value), types);
            int version = pattern.pinnedVersion();
            if (version > 0) {
                EventType type = types.stream().filter(t -> t.name().equals(pattern.typePattern())).findFirst().orElseThrow();
                if (!type.renders(version)) {
                    throw new IllegalArgumentException("'" + value + "' pins a version " + type.name() + " is not rendered at; "
                            + "it is rendered at " + type.versions().stream().map(String::valueOf)
                                    .collect(Collectors.joining(", ")));
                }
                if (!pinned.add(type.name())) {
                    throw new IllegalArgumentException("'" + value + "' pins " + type.name() + " a second time: pin a type once");
                }
            }
            patterns.add(pattern);
        }
        return patterns;
    }

    public boolean matches(String type) {
        String pattern = typePattern();
        if (pattern.equals(ALL)) {
            return true;
        }
        if (pattern.endsWith(BELOW)) {
            return type.startsWith(pattern.substring(0, pattern.length() - 1));
        }
        return pattern.equals(type);
    }

    /** The pattern without its pin. */
    public String typePattern() {
        int pin = value.indexOf(PIN);
        return pin < 0 ? value : value.substring(0, pin);
    }

    /** The version the pattern pins, or 0. */
    public int pinnedVersion() {
        int pin = value.indexOf(PIN);
        return pin < 0 ? 0 : Integer.parseInt(value.substring(pin + 1));
    }

    @Override
    public String toString() {
        return value;
    }
}
