package io.tidings.sink;

import io.tidings.PublicApi;
import io.tidings.delivery.ClaimedDelivery;

/**
 * What a sink writes for one event, the same whatever carries it (a file line, a Kafka record): the
 * record's JSON text and the version of the schema its payload follows. A kind that writes to a
 * log of its own injects it, so that every sink's records read alike.
 */
@PublicApi
public interface SinkRecordFormat {

    /**
     * The record as JSON text: for a sink that takes telemetry, the capsule the analytics backend
     * receives; for one that takes notifications, the webhook body with the event's id
     * ({@code {"id", "type", "timestamp", "data"}}), which a consumer deduplicates on.
     */
    String json(ClaimedDelivery delivery);

    /** The version of the schema the delivery's payload follows. */
    int schemaVersion(ClaimedDelivery delivery);
}
