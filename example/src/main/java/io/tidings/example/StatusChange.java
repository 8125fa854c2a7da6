package io.tidings.example;

import java.util.UUID;

import io.tidings.api.ApiException;

/** Moves a job or run to a requested status, refusing moves its life does not allow. */
final class StatusChange {

    private StatusChange() {
    }

    static RunStatus apply(String what, UUID id, RunStatus current, String requested) {
        RunStatus next = RunStatus.fromWire(requested);
        if (!current.canBecome(next)) {
            throw ApiException.conflict("status", "The " + what + " " + id + " is " + current.wireName()
                    + " and cannot become " + next.wireName());
        }
        return next;
    }
}
