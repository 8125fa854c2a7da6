package com.example.shop;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** The shop's own back office, at the path Tidings' console would take: the shop builds with that console off. */
@Path("/console")
public class ShopConsole {

    @GET
    @Produces(MediaType.TEXT_HTML)
    public String home() {
        return "<!doctype html><title>Shop</title><h1>The shop's console</h1>";
    }
}
