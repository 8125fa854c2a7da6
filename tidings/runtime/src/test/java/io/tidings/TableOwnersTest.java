package io.tidings;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * Each group of Tidings' tables has one owner: the only classes whose SQL names its tables. Others
 * call the owner. A statement that must read another group's tables (a join the hot path cannot
 * afford to split) is declared below with why; only one write outside an owner is.
 */
class TableOwnersTest {

    /** Table group: its tables, and the classes (paths under io/tidings) that own them. */
    private record Group(Set<String> tables, Set<String> owners) {
    }

    private static final List<Group> GROUPS = List.of(
            new Group(Set.of("subscribers", "subscriptions", "subscriber_routes"), Set.of(
                    "outbox/internal/Subscriber", "outbox/internal/Subscribers", "outbox/internal/SubscriberHealth",
                    "outbox/internal/SubscriberSecrets")),
            new Group(Set.of("events", "event_types", "event_idempotency_keys"), Set.of(
                    "outbox/Event", "outbox/internal/DeclaredEventTypes", "outbox/internal/EventTypeRegistry",
                    "outbox/internal/EventRetention", "outbox/internal/IdempotencyKeys", "outbox/internal/EventCounts")),
            new Group(Set.of("deliveries", "delivery_attempts", "delivery_throttles"), Set.of(
                    "delivery/internal/DeliveryQueue", "delivery/internal/DeliveryViews", "delivery/internal/DeadLetters",
                    "delivery/internal/DeliveryRetention", "delivery/internal/OutboxStats")),
            new Group(Set.of("api_keys", "tenants"), Set.of("api/internal/ApiKeys", "api/internal/Tenants")),
            new Group(Set.of("console_sessions", "console_portal_links"), Set.of("console/internal/ConsoleSessions")),
            new Group(Set.of("stream_cursors"), Set.of("stream/internal/StreamCursors", "stream/internal/StreamSubscribers")),
            new Group(Set.of("installation"), Set.of("analytics/internal/Installation")));

    /** What a class outside a group's owners may do to its tables, and why. */
    private record Declared(String owner, String table, boolean writes, String why) {
    }

    private static final List<Declared> DECLARED = List.of(
            new Declared("outbox/internal/DeliveryFanOut", "deliveries", true,
                    "recording writes an event's deliveries in the event's own transaction, and the outbox stands on nothing"),
            new Declared("delivery/internal/DeliveryQueue", "subscribers", false,
                    "the claim is one statement on the hot path: a due delivery with its subscriber's target and secret"),
            new Declared("delivery/internal/DeliveryQueue", "events", false, "... and its event's type and time"),
            new Declared("delivery/internal/DeliveryViews", "subscribers", false, "a delivery as the API shows it, in one read"),
            new Declared("delivery/internal/DeliveryViews", "events", false, "a delivery as the API shows it, in one read"),
            new Declared("delivery/internal/OutboxStats", "subscribers", false, "lag per kind, of enabled subscribers only"),
            new Declared("delivery/internal/DeliveryRetention", "subscribers", false, "the parked rows of long-disabled subscribers"),
            new Declared("outbox/internal/EventRetention", "deliveries", false, "an event goes once no delivery refers to it"),
            new Declared("stream/internal/StreamLog", "events", false, "a stream reads the events as a log"),
            new Declared("stream/internal/StreamCursors", "events", false, "a stream starts at an event's position"),
            new Declared("stream/internal/StreamCursors", "subscribers", false, "a stream's status shows its kind and whether it is on"),
            new Declared("stream/internal/StreamSubscribers", "subscribers", false, "a stream is a subscriber with a cursor"),
            new Declared("stream/internal/StreamSubscribers", "subscriptions", false, "... and takes the types it subscribes to"),
            new Declared("testing/RecordedEvents", "events", false, "a host's tests read what a block recorded, as committed"));

    private static final Pattern STRING = Pattern.compile("\"\"\"(.*?)\"\"\"|\"((?:[^\"\\\\\\n]|\\\\.)*)\"", Pattern.DOTALL);
    private static final Pattern NAMED = Pattern.compile(
            "(?i:\\b(from|join|into|update|table|truncate)\\s+(?:only\\s+)?)([a-z_]+)\\b|@Table\\(name\\s*=\\s*\"([a-z_]+)\"");

    @Test
    void only_a_tables_owner_names_it_in_sql() throws IOException {
        List<String> strays = new ArrayList<>();
        for (Path source : mainSources()) {
            String path = owner(source);
            for (Use use : uses(Files.readString(source))) {
                Group group = GROUPS.stream().filter(g -> g.tables().contains(use.table())).findFirst().orElse(null);
                if (group == null || group.owners().contains(path) || declared(path, use)) {
                    continue;
                }
                strays.add(path + (use.writes() ? " writes " : " reads ") + use.table() + " (owned by " + group.owners() + ")");
            }
        }
        assertThat(strays).as("SQL outside a table's owner: call the owner, or declare the read here with why").isEmpty();
    }

    @Test
    void every_declared_exception_is_still_needed() throws IOException {
        List<Path> sources = mainSources();
        for (Declared declared : DECLARED) {
            Path source = sources.stream().filter(path -> owner(path).equals(declared.owner())).findFirst()
                    .orElseThrow(() -> new AssertionError(declared.owner() + " is declared, but no module has it"));
            assertThat(uses(Files.readString(source)))
                    .as(declared.owner() + " still " + (declared.writes() ? "writes " : "reads ") + declared.table())
                    .anyMatch(use -> use.table().equals(declared.table()) && use.writes() == declared.writes());
        }
    }

    @Test
    void the_rule_sees_sql_in_text_blocks_and_strings_and_entities() {
        assertThat(uses("String q = \"\"\"\n  SELECT 1\n    FROM deliveries d JOIN subscribers s ON true\n\"\"\";"))
                .containsExactly(new Use("deliveries", false), new Use("subscribers", false));
        assertThat(uses("x(\"DELETE FROM tenants WHERE id = ?\"); y(\"insert into api_keys (id) values (?)\");"))
                .containsExactly(new Use("tenants", true), new Use("api_keys", true));
        assertThat(uses("@Table(name = \"events\") class E {}")).containsExactly(new Use("events", true));
        assertThat(uses("log(\"read from the events of a tenant\"); // FROM deliveries")).isEmpty();
    }

    private record Use(String table, boolean writes) {
    }

    private static List<Use> uses(String source) {
        List<Use> uses = new ArrayList<>();
        Matcher annotation = Pattern.compile("@Table\\(name\\s*=\\s*\"([a-z_]+)\"").matcher(source);
        while (annotation.find()) {
            uses.add(new Use(annotation.group(1), true));
        }
        Matcher literal = STRING.matcher(source.replaceAll("@Table\\([^)]*\\)", ""));
        while (literal.find()) {
            String text = literal.group(1) != null ? literal.group(1) : literal.group(2);
            Matcher named = NAMED.matcher(text);
            while (named.find()) {
                if (named.group(2) != null && isTable(named.group(2))) {
                    String verb = named.group(1).toLowerCase(java.util.Locale.ROOT);
                    boolean deletes = text.substring(0, named.start()).toLowerCase(java.util.Locale.ROOT).matches("(?s).*\\bdelete\\s*$");
                    uses.add(new Use(named.group(2), deletes || !(verb.equals("from") || verb.equals("join"))));
                }
            }
        }
        return uses;
    }

    private static boolean isTable(String name) {
        return GROUPS.stream().anyMatch(group -> group.tables().contains(name));
    }

    private static boolean declared(String path, Use use) {
        return DECLARED.stream().anyMatch(d -> d.owner().equals(path) && d.table().equals(use.table()) && (d.writes() || !use.writes()));
    }

    private static String owner(Path source) {
        String path = source.toString().replace('\\', '/');
        return path.substring(path.indexOf("/io/tidings/") + "/io/tidings/".length(), path.length() - ".java".length());
    }

    // Every module's main code, found rather than listed, so that a new module is held to the rule from its first commit.
    private static List<Path> mainSources() throws IOException {
        List<Path> modules;
        try (Stream<Path> dirs = Files.walk(root(), 5)) {
            modules = dirs.filter(dir -> dir.endsWith(Path.of("src", "main", "java")))
                    .filter(dir -> !dir.toString().contains("node_modules")).toList();
        }
        assertThat(modules).extracting(dir -> root().relativize(dir).toString().replace('\\', '/'))
                .contains("tidings/runtime/src/main/java", "kafka/runtime/src/main/java", "example/src/main/java", "service/src/main/java");
        List<Path> sources = new ArrayList<>();
        for (Path main : modules) {
            try (Stream<Path> files = Files.walk(main)) {
                files.filter(file -> file.toString().endsWith(".java")).forEach(sources::add);
            }
        }
        assertThat(sources).hasSizeGreaterThan(100);
        return sources;
    }

    private static Path root() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("mvnw"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new UncheckedIOException(new IOException("no mvnw above " + Path.of("").toAbsolutePath()));
        }
        return dir;
    }
}
