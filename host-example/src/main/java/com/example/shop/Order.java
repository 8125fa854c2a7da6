package com.example.shop;

import java.math.BigDecimal;
import java.util.UUID;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** The shop's own table, written in the same transaction as the event that announces it. */
@Entity
@Table(name = "orders")
public class Order {

    @Id
    public UUID id;
    public UUID customer;
    public BigDecimal total;

    protected Order() {
    }

    public Order(UUID customer, BigDecimal total) {
        this.id = UUID.randomUUID();
        this.customer = customer;
        this.total = total;
    }
}
