package io.tidings.delivery.internal;

import java.util.Locale;

/** Where a delivery is in its life: pending → in_flight → delivered, or back to pending, or dead. */
public enum DeliveryStatus {
    PENDING, IN_FLIGHT, DELIVERED, DEAD;

    /** As stored in the {@code deliveries.status} column. */
    public String column() {
        return name().toLowerCase(Locale.ROOT);
    }
}
