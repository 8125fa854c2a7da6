package io.tidings.api;

import java.util.UUID;

import jakarta.enterprise.context.RequestScoped;
import jakarta.ws.rs.core.Response.Status;

import io.tidings.PublicApi;

/**
 * Who is calling, as the {@code Authorization} header says: nobody, a tenant's API key, or the
 * admin key. Resources ask for what they need; the answer is 401 without a credential and 403 with
 * the wrong kind.
 */
@RequestScoped
@PublicApi
public class Caller {

    private UUID tenantId;
    private boolean admin;

    void authenticateTenant(UUID tenantId) {
        this.tenantId = tenantId;
    }

    void authenticateAdmin() {
        this.admin = true;
    }

    /** The caller's tenant; the request is refused unless it came with a tenant's API key. */
    public UUID requireTenant() {
        if (tenantId == null) {
            throw admin
                    ? new ApiException(Status.FORBIDDEN, null, "The admin key manages tenants and keys only; use a tenant's API key")
                    : unauthenticated();
        }
        return tenantId;
    }

    public void requireAdmin() {
        if (!admin) {
            throw tenantId != null ? new ApiException(Status.FORBIDDEN, null, "This needs the admin key") : unauthenticated();
        }
    }

    /** The caller's tenant, or null for a caller without a key: what it may see of tenant-owned data. */
    public UUID tenantOrNull() {
        return tenantId;
    }

    public boolean isAdmin() {
        return admin;
    }

    static ApiException unauthenticated() {
        return new ApiException(Status.UNAUTHORIZED, null, "Send an API key: Authorization: Bearer <key>");
    }
}
