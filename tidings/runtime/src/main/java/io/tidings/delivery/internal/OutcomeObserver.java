package io.tidings.delivery.internal;

import java.util.List;

/**
 * Told about attempts after they are written, in the order they finished. Implementations are CDI
 * beans; they run on the worker thread, outside any transaction, and what they throw is logged and
 * does not undo the outcomes.
 */
public interface OutcomeObserver {

    void recorded(List<Outcome> outcomes) throws Exception;
}
