package io.tidings.delivery.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.UUID;

import io.tidings.delivery.ClaimedDelivery;

/**
 * The deliveries this instance holds, one lane per subscriber: at most {@code perSubscriber} of a
 * lane are being sent at once, the rest wait their turn in it. A slow subscriber fills only its own
 * lane, and a full lane is left out of the next claim.
 */
final class SubscriberLanes {

    private final int perSubscriber;
    private final Map<UUID, Lane> lanes = new HashMap<>();
    private int held;

    SubscriberLanes(int perSubscriber) {
        this.perSubscriber = perSubscriber;
    }

    /** Takes a claimed delivery. @return true when it may be sent now, false when it waits in its lane */
    synchronized boolean admit(ClaimedDelivery delivery) {
        held++;
        Lane lane = lanes.computeIfAbsent(delivery.subscriberId(), id -> new Lane());
        if (lane.sending.size() < perSubscriber) {
            lane.sending.add(delivery);
            return true;
        }
        lane.waiting.add(delivery);
        return false;
    }

    /** Notes that a send finished. @return the next delivery of that lane, now to be sent, or null */
    synchronized ClaimedDelivery finished(ClaimedDelivery delivery) {
        Lane lane = lanes.get(delivery.subscriberId());
        if (lane == null || !lane.sending.remove(delivery)) {
            return null;
        }
        held--;
        ClaimedDelivery next = lane.waiting.poll();
        if (next != null) {
            lane.sending.add(next);
        } else if (lane.sending.isEmpty()) {
            lanes.remove(delivery.subscriberId());
        }
        return next;
    }

    /** Claimed deliveries not yet finished, sending or waiting. */
    synchronized int held() {
        return held;
    }

    /** Subscribers whose lane is full. */
    synchronized Set<UUID> full() {
        Set<UUID> full = new LinkedHashSet<>();
        lanes.forEach((id, lane) -> {
            if (lane.isFull()) {
                full.add(id);
            }
        });
        return full;
    }

    /** Whether the subscriber's lane is full, so that a claim would leave it out. */
    synchronized boolean isFull(UUID subscriberId) {
        Lane lane = lanes.get(subscriberId);
        return lane != null && lane.isFull();
    }

    /** Removes and returns every waiting delivery, none of which has been sent. */
    synchronized List<ClaimedDelivery> takeWaiting() {
        List<ClaimedDelivery> waiting = new ArrayList<>();
        lanes.values().forEach(lane -> {
            waiting.addAll(lane.waiting);
            lane.waiting.clear();
        });
        held -= waiting.size();
        return waiting;
    }

    /** Removes and returns every delivery still being sent. */
    synchronized List<ClaimedDelivery> takeSending() {
        List<ClaimedDelivery> sending = new ArrayList<>();
        lanes.values().forEach(lane -> sending.addAll(lane.sending));
        lanes.clear();
        held = 0;
        return sending;
    }

    private final class Lane {
        final Set<ClaimedDelivery> sending = new LinkedHashSet<>();
        final Queue<ClaimedDelivery> waiting = new ArrayDeque<>();

        boolean isFull() {
            return sending.size() + waiting.size() >= perSubscriber;
        }
    }
}
