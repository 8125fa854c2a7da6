package io.tidings.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Makes API keys and finds whose a key is. A key is {@code tdk_} and 32 random bytes in base64url;
 * only its SHA-256 is stored, so a leaked table does not leak keys.
 */
@ApplicationScoped
public class ApiKeys {

    private static final String PREFIX = "tdk_";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final DataSource dataSource;

    @Inject
    public ApiKeys(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** A new key for the tenant, returned once: only its hash is kept. */
    public IssuedKey issue(UUID tenantId, String description) throws SQLException {
        byte[] random = new byte[32];
        RANDOM.nextBytes(random);
        String key = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        UUID id = UUID.randomUUID();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement(
                        "INSERT INTO api_keys (id, tenant_id, key_hash, prefix, description) VALUES (?, ?, ?, ?, ?)")) {
            insert.setObject(1, id);
            insert.setObject(2, tenantId);
            insert.setBytes(3, hash(key));
            insert.setString(4, key.substring(0, PREFIX.length() + 6));
            insert.setString(5, description);
            insert.executeUpdate();
        }
        return new IssuedKey(id, key);
    }

    /** The tenant the key belongs to, if it is a key this installation issued. */
    public Optional<UUID> tenantOf(String key) throws SQLException {
        if (!key.startsWith(PREFIX)) {
            return Optional.empty();
        }
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement("SELECT tenant_id FROM api_keys WHERE key_hash = ?")) {
            query.setBytes(1, hash(key));
            try (ResultSet row = query.executeQuery()) {
                return row.next() ? Optional.of(row.getObject(1, UUID.class)) : Optional.empty();
            }
        }
    }

    /** Compares in constant time, so response times do not tell how much of a guess was right. */
    static boolean sameKey(String given, String expected) {
        return MessageDigest.isEqual(hash(given), hash(expected));
    }

    private static byte[] hash(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** @param key the key itself, to be shown to its owner once */
    public record IssuedKey(UUID id, String key) {
    }
}
