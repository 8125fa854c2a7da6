package io.tidings.api.internal;

import java.sql.SQLException;
import java.util.Optional;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/**
 * Signs a request in as the owner of a key: the admin key in force, or a tenant's key that is
 * neither revoked nor expired. The key comes as {@code Authorization: Bearer}, or is known by its
 * SHA-256 only, as the console's sessions know it: they never keep the key itself.
 */
@Singleton
public class KeyHashAuthenticator {

    @Inject
    Credential credential;
    @Inject
    ApiKeys keys;
    @Inject
    AdminKey adminKey;

    /** The SHA-256 under which a key is known. */
    public static byte[] hash(String key) {
        return ApiKeys.hash(key);
    }

    /** Whether the key would be accepted on the API now. */
    public boolean accepts(String key) throws SQLException {
        return adminKey.matches(key) || keys.tenantOf(key).isPresent();
    }

    /** Makes this request's {@link io.tidings.api.Caller} the key's owner. @return false when the key is not accepted */
    public boolean authenticate(String key) throws SQLException {
        // A key of neither form is refused without a lookup.
        return (adminKey.matches(key) || ApiKeys.hasKeyForm(key)) && authenticate(hash(key));
    }

    /** As {@link #authenticate(String)}, for a key known by its SHA-256. @return false when the key is no longer accepted */
    public boolean authenticate(byte[] keyHash) throws SQLException {
        if (adminKey.matchesHash(keyHash)) {
            credential.admin();
            return true;
        }
        Optional<UUID> tenant = keys.tenantOfHash(keyHash);
        tenant.ifPresent(credential::tenant);
        return tenant.isPresent();
    }
}
