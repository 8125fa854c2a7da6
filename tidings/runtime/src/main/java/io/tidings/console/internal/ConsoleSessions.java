package io.tidings.console.internal;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.tidings.api.internal.KeyHashAuthenticator;

/**
 * Console sign-ins, in the database so that any instance serves them. The browser holds a random
 * token; the row holds its SHA-256, the SHA-256 of the key that signed in (checked again on every
 * request, so a revoked key ends its sessions at once) and the session's CSRF token. A session
 * opened by a portal link holds its tenant instead of a key, and ends with the tenant.
 */
@Singleton
public class ConsoleSessions {

    private static final SecureRandom RANDOM = new SecureRandom();

    /** @param token what the browser keeps in its cookie, never stored */
    public record Opened(String token, Session session) {
    }

    /** @param keyHash the key that signed in, or null for a portal session @param portalTenant that session's tenant */
    public record Session(byte[] keyHash, String csrfToken, UUID portalTenant) {
    }

    private final DataSource dataSource;
    private final ConsoleConfig config;
    private final Clock clock;

    @Inject
    public ConsoleSessions(DataSource dataSource, ConsoleConfig config, Clock clock) {
        this.dataSource = dataSource;
        this.config = config;
        this.clock = clock;
    }

    /** A new session for a key already checked; expired sessions go at the same time. */
    public Opened open(String key) throws SQLException {
        return open(new Session(KeyHashAuthenticator.hash(key), randomToken(), null));
    }

    private Opened open(Session session) throws SQLException {
        String token = randomToken();
        OffsetDateTime now = now();
        insertPurging("DELETE FROM console_sessions WHERE expires_at < ?", "INSERT INTO console_sessions "
                + "(token_hash, key_hash, csrf_token, tenant_id, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)",
                KeyHashAuthenticator.hash(token), session.keyHash(), session.csrfToken(), session.portalTenant(), now,
                now.plus(lifetime(session)));
        return new Opened(token, session);
    }

    /** How long a session lasts: a portal session, opened without a key, for less. */
    Duration lifetime(Session session) {
        return session.portalTenant() == null ? config.sessionDuration() : config.portalSessionDuration();
    }

    /**
     * A single-use link into the console for one tenant, valid for {@code validFor}; expired links go
     * at the same time. @return the link's token, which only its URL holds
     * @throws SQLException also when there is no such tenant
     */
    public String issuePortalLink(UUID tenant, Duration validFor) throws SQLException {
        String token = randomToken();
        OffsetDateTime now = now();
        insertPurging("DELETE FROM console_portal_links WHERE expires_at < ?", "INSERT INTO console_portal_links "
                + "(token_hash, tenant_id, created_at, expires_at) VALUES (?, ?, ?, ?)",
                KeyHashAuthenticator.hash(token), tenant, now, now.plus(validFor));
        return token;
    }

    // Each insert takes its table's expired rows with it: neither table needs a sweep of its own.
    private void insertPurging(String purgeSql, String insertSql, Object... values) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement purge = connection.prepareStatement(purgeSql);
                PreparedStatement insert = connection.prepareStatement(insertSql)) {
            purge.setObject(1, now());
            purge.executeUpdate();
            for (int i = 0; i < values.length; i++) {
                if (values[i] instanceof byte[] bytes) {
                    insert.setBytes(i + 1, bytes);
                } else {
                    insert.setObject(i + 1, values[i]);
                }
            }
            insert.executeUpdate();
        }
    }

    /** The tenant of a portal link that may still be followed, without spending it. */
    public Optional<UUID> portalLinkTenant(String token) throws SQLException {
        return byToken("SELECT tenant_id FROM console_portal_links WHERE token_hash = ? AND expires_at > ?", token,
                row -> row.getObject(1, UUID.class));
    }

    /** Spends a portal link: a session for its tenant, or none when the link is unknown, used or expired. */
    public Optional<Opened> redeemPortalLink(String token) throws SQLException {
        Optional<UUID> tenant = byToken("DELETE FROM console_portal_links WHERE token_hash = ? "
                + "RETURNING tenant_id, expires_at > ? AS valid", token,
                row -> row.getBoolean("valid") ? row.getObject("tenant_id", UUID.class) : null);
        return tenant.isEmpty() ? Optional.empty() : Optional.of(open(new Session(null, randomToken(), tenant.get())));
    }

    public Optional<Session> find(String token) throws SQLException {
        return byToken("SELECT key_hash, csrf_token, tenant_id FROM console_sessions WHERE token_hash = ? AND expires_at > ?",
                token, row -> new Session(row.getBytes(1), row.getString(2), row.getObject(3, UUID.class)));
    }

    private interface RowReader<T> {
        T read(ResultSet row) throws SQLException;
    }

    // The statement's first row for the token (bound as its SHA-256, then now), as read; none without one, or where read gives null.
    private <T> Optional<T> byToken(String sql, String token, RowReader<T> read) throws SQLException {
        try (Connection connection = dataSource.getConnection(); PreparedStatement query = connection.prepareStatement(sql)) {
            query.setBytes(1, KeyHashAuthenticator.hash(token));
            query.setObject(2, now());
            try (ResultSet row = query.executeQuery()) {
                return row.next() ? Optional.ofNullable(read.read(row)) : Optional.empty();
            }
        }
    }

    public void end(String token) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement delete = connection.prepareStatement("DELETE FROM console_sessions WHERE token_hash = ?")) {
            delete.setBytes(1, KeyHashAuthenticator.hash(token));
            delete.executeUpdate();
        }
    }

    /** 256 random bits, base64url. */
    static String randomToken() {
        byte[] random = new byte[32];
        RANDOM.nextBytes(random);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }

    private OffsetDateTime now() {
        return OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
    }
}
