package io.tidings.outbox.internal;

import java.util.Optional;

/**
 * The {@code $id} of a type's notification schema at a version, for what leaves to say which schema
 * its payload follows. The outbox asks; the schema layer, which reads the schemas, answers.
 */
public interface SchemaIds {

    /** The {@code $id} of the type's notification schema at its version; empty when it has none. */
    Optional<String> notification(EventType type);
}
