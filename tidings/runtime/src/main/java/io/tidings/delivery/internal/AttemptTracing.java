package io.tidings.delivery.internal;

import io.tidings.delivery.AttemptResult;
import io.tidings.delivery.ClaimedDelivery;

/** A span per attempt, in the trace its event was recorded in, where the application traces. */
public interface AttemptTracing {

    /** One attempt under way. */
    interface Attempt {

        /** The delivery to send, with the attempt's own trace context for the receiver. */
        ClaimedDelivery delivery();

        void end(AttemptResult result);
    }

    Attempt start(ClaimedDelivery delivery);

    /** An attempt outside any trace: the delivery goes as it was claimed, and nothing is recorded of it. */
    static Attempt untraced(ClaimedDelivery delivery) {
        return new Attempt() {
            @Override
            public ClaimedDelivery delivery() {
                return delivery;
            }

            @Override
            public void end(AttemptResult result) {
            }
        };
    }
}
