package io.tidings.api.internal;

import jakarta.ws.rs.core.Application;

import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;

/** The OpenAPI description of the HTTP API, served at /q/openapi (and Swagger UI in dev mode). */
@OpenAPIDefinition(
        info = @Info(title = "Tidings", version = "0.1",
                description = "Transactional-outbox events: webhook subscriptions, deliveries, tenants, and the example application"),
        security = @SecurityRequirement(name = "apiKey"))
@SecurityScheme(securitySchemeName = "apiKey", type = SecuritySchemeType.HTTP, scheme = "bearer",
        description = "A tenant's API key (tdk_...), or the admin key for /api/tenants")
public class TidingsApi extends Application {
}
