package io.tidings.api.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * Makes API keys, finds whose a key is, lists and revokes them. A key is {@code tdk_} and 32 random
 * bytes in base64url; only its SHA-256 is stored, so a leaked table does not leak keys. Every request
 * reads the key's row, so a revoked or expired key is refused at once on every instance.
 */
@ApplicationScoped
public class ApiKeys {

    private static final String PREFIX = "tdk_";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String FIND = """
            SELECT id, tenant_id, last_used_at IS NULL OR last_used_at < now() - interval '1 minute'
              FROM api_keys WHERE key_hash = ? AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now())
            """;
    // Guarded again here: two requests that both saw a stale time write once.
    private static final String TOUCH = """
            UPDATE api_keys SET last_used_at = now()
             WHERE id = ? AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')
            """;

    private final DataSource dataSource;

    @Inject
    public ApiKeys(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** A new key for the tenant, returned once: only its hash is kept. @param expiresAt null for a key that does not expire */
    public IssuedKey issue(UUID tenantId, String description, Instant expiresAt) throws SQLException {
        byte[] random = new byte[32];
        RANDOM.nextBytes(random);
        String key = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        UUID id = UUID.randomUUID();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement(
                        "INSERT INTO api_keys (id, tenant_id, key_hash, prefix, description, expires_at) VALUES (?, ?, ?, ?, ?, ?)")) {
            insert.setObject(1, id);
            insert.setObject(2, tenantId);
            insert.setBytes(3, hash(key));
            insert.setString(4, key.substring(0, PREFIX.length() + 6));
            insert.setString(5, description);
            insert.setTimestamp(6, expiresAt == null ? null : Timestamp.from(expiresAt));
            insert.executeUpdate();
        }
        return new IssuedKey(id, key);
    }

    /** The tenant the key belongs to, if it is a key this installation issued that is neither revoked nor expired. */
    public Optional<UUID> tenantOf(String key) throws SQLException {
        if (!hasKeyForm(key)) {
            return Optional.empty();
        }
        return tenantOfHash(hash(key));
    }

    /** Whether the key has the form of a tenant's key: one of any other form is nobody's. */
    static boolean hasKeyForm(String key) {
        return key.startsWith(PREFIX);
    }

    /** {@link #tenantOf} for a key known by its SHA-256 only. */
    Optional<UUID> tenantOfHash(byte[] keyHash) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            UUID id;
            UUID tenant;
            boolean stale;
            try (PreparedStatement query = connection.prepareStatement(FIND)) {
                query.setBytes(1, keyHash);
                try (ResultSet row = query.executeQuery()) {
                    if (!row.next()) {
                        return Optional.empty();
                    }
                    id = row.getObject(1, UUID.class);
                    tenant = row.getObject(2, UUID.class);
                    stale = row.getBoolean(3);
                }
            }
            if (stale) {
                try (PreparedStatement touch = connection.prepareStatement(TOUCH)) {
                    touch.setObject(1, id);
                    touch.executeUpdate();
                }
            }
            return Optional.of(tenant);
        }
    }

    /** The tenant's keys, newest first, revoked and expired ones included. */
    public List<KeyInfo> list(UUID tenantId) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement("SELECT id, prefix, description, created_at, last_used_at, "
                        + "expires_at, revoked_at FROM api_keys WHERE tenant_id = ? ORDER BY created_at DESC, id DESC")) {
            query.setObject(1, tenantId);
            List<KeyInfo> keys = new ArrayList<>();
            try (ResultSet row = query.executeQuery()) {
                while (row.next()) {
                    keys.add(new KeyInfo(row.getObject(1, UUID.class), row.getString(2), row.getString(3), instant(row, 4),
                            instant(row, 5), instant(row, 6), instant(row, 7)));
                }
            }
            return keys;
        }
    }

    /** Revokes the tenant's key. @return false when the tenant has no such key */
    public boolean revoke(UUID tenantId, UUID keyId) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement update = connection.prepareStatement(
                        "UPDATE api_keys SET revoked_at = coalesce(revoked_at, now()) WHERE id = ? AND tenant_id = ?")) {
            update.setObject(1, keyId);
            update.setObject(2, tenantId);
            return update.executeUpdate() == 1;
        }
    }

    private static Instant instant(ResultSet row, int column) throws SQLException {
        Timestamp value = row.getTimestamp(column);
        return value == null ? null : value.toInstant();
    }

    /** Compares in constant time, so response times do not tell how much of a guess was right. */
    static boolean sameKey(String given, String expected) {
        return MessageDigest.isEqual(hash(given), hash(expected));
    }

    static byte[] hash(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** @param key the key itself, to be shown to its owner once */
    public record IssuedKey(UUID id, String key) {
    }

    /** What may be shown of a key: never the key, only the first characters that tell keys apart. */
    public record KeyInfo(UUID id, String prefix, @Schema(nullable = true) String description, Instant createdAt,
            @Schema(nullable = true) Instant lastUsedAt, @Schema(nullable = true) Instant expiresAt, @Schema(nullable = true) Instant revokedAt) {
    }
}
