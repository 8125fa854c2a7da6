package com.example.shop;

import java.math.BigDecimal;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.tidings.outbox.Outbox;

/** The shop's own endpoint, behind the shop's own bearer token: Tidings' credential check is not its business. */
@Path("/shop/orders")
public class ShopResource {

    @Inject
    EntityManager entities;
    @Inject
    Outbox outbox;
    @ConfigProperty(name = "shop.token")
    String token;

    @POST
    @Transactional
    public Response place(@HeaderParam("Authorization") String authorization, @QueryParam("tenant") UUID tenant,
            @QueryParam("total") BigDecimal total) {
        if (!("Bearer " + token).equals(authorization)) {
            return Response.status(401).entity(Map.of("shop", "sign in first")).build();
        }
        Order order = new Order(UUID.randomUUID(), total);
        entities.persist(order);
        outbox.registerEvent(new OrderEvent(OrderEvent.PLACED, tenant, order));
        return Response.status(201).entity(Map.of("id", order.id.toString())).build();
    }
}
