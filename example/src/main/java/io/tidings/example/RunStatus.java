package io.tidings.example;

import java.util.Locale;
import java.util.Set;

/** The life of a job or a pipeline run: created, started, then one of three ends. */
public enum RunStatus {
    CREATED, STARTED, SUCCEEDED, FAILED, CANCELLED;

    /** The statuses a client may ask for, as they are written in requests and event types. */
    public static final String REQUESTABLE = "started|succeeded|failed|cancelled";

    public boolean canBecome(RunStatus next) {
        return switch (this) {
            case CREATED -> next == STARTED || next == CANCELLED;
            case STARTED -> Set.of(SUCCEEDED, FAILED, CANCELLED).contains(next);
            case SUCCEEDED, FAILED, CANCELLED -> false;
        };
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static RunStatus fromWire(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
