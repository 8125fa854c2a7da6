package io.tidings.api;

import java.util.UUID;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.Response.Status;

import io.tidings.PublicApi;
import io.tidings.api.internal.Credential;

/**
 * Who is calling, as the {@code Authorization} header says: nobody, a tenant's API key, or the
 * admin key. Resources ask for what they need; the answer is 401 without a credential and 403 with
 * the wrong kind.
 */
@RequestScoped
@PublicApi
public class Caller {

    @Inject
    Credential credential;

    /** The caller's tenant; the request is refused unless it came with a tenant's API key. */
    public UUID requireTenant() {
        UUID tenantId = credential.tenantId();
        if (tenantId == null) {
            throw credential.isAdmin()
                    ? new ApiException(Status.FORBIDDEN, null, "The admin key manages tenants and keys only; use a tenant's API key")
                    : unauthenticated();
        }
        return tenantId;
    }

    public void requireAdmin() {
        if (!credential.isAdmin()) {
            throw credential.tenantId() != null ? new ApiException(Status.FORBIDDEN, null, "This needs the admin key") : unauthenticated();
        }
    }

    /** The caller's tenant, or null for a caller without a key: what it may see of tenant-owned data. */
    public UUID tenantOrNull() {
        return credential.tenantId();
    }

    public boolean isAdmin() {
        return credential.isAdmin();
    }

    static ApiException unauthenticated() {
        return new ApiException(Status.UNAUTHORIZED, null, "Send an API key: Authorization: Bearer <key>");
    }
}
