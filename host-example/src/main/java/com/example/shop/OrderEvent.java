package com.example.shop;

import java.math.BigDecimal;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.DiscriminatorValue;
import jakarta.persistence.Entity;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.tidings.outbox.Emits;
import io.tidings.outbox.Event;

/** {@code order:placed}: the shop's own layer of the events table. */
@Emits(value = "order:placed", description = "A customer placed an order.")
@Entity
@DiscriminatorValue("order")
public class OrderEvent extends Event {

    public static final String PLACED = "order:placed";

    @Column(name = "order_id", updatable = false)
    private UUID orderId;
    @Column(name = "order_total", updatable = false)
    private BigDecimal orderTotal;

    protected OrderEvent() {
    }

    public OrderEvent(String type, UUID tenant, Order order) {
        super(type, tenant);
        this.orderId = order.id;
        this.orderTotal = order.total;
    }

    @Override
    public String orderingKey() {
        return orderId.toString();
    }

    @Override
    public ObjectNode toNotificationPayload() {
        ObjectNode payload = newPayload();
        objectAt(payload, "order").put("id", orderId.toString()).put("total", orderTotal.toPlainString());
        return payload;
    }
}
