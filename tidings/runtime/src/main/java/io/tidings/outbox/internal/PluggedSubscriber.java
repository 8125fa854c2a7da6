package io.tidings.outbox.internal;

import jakarta.persistence.DiscriminatorValue;
import jakarta.persistence.Entity;

/**
 * A subscriber of a kind that keeps no entity class of its own: a plug-in that needs nothing but a
 * sender and its settings in {@code target}. Loading every subscriber never fails on a kind that
 * JPA does not know.
 */
@Entity
@DiscriminatorValue("not null")
public class PluggedSubscriber extends Subscriber {

    protected PluggedSubscriber() {
    }
}
