package io.tidings.api.internal;

import java.util.UUID;

import jakarta.enterprise.context.RequestScoped;

/**
 * The key this request was authenticated with, as Tidings' filters found it. Only they set it; a
 * host's code reads it through {@link io.tidings.api.Caller}, which cannot change it.
 */
@RequestScoped
public class Credential {

    private UUID tenantId;
    private boolean admin;

    public void tenant(UUID tenantId) {
        this.tenantId = tenantId;
    }

    public void admin() {
        this.admin = true;
    }

    public UUID tenantId() {
        return tenantId;
    }

    public boolean isAdmin() {
        return admin;
    }
}
