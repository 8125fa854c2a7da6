package io.tidings.console.internal;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Optional;

import javax.sql.DataSource;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.tidings.api.internal.KeyHashAuthenticator;

/**
 * Console sign-ins, in the database so that any instance serves them. The browser holds a random
 * token; the row holds its SHA-256, the SHA-256 of the key that signed in (checked again on every
 * request, so a revoked key ends its sessions at once) and the session's CSRF token.
 */
@Singleton
public class ConsoleSessions {

    private static final SecureRandom RANDOM = new SecureRandom();

    /** @param token what the browser keeps in its cookie, never stored */
    public record Opened(String token, Session session) {
    }

    public record Session(byte[] keyHash, String csrfToken) {
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
        String token = randomToken();
        Session session = new Session(KeyHashAuthenticator.hash(key), randomToken());
        OffsetDateTime now = now();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement purge = connection.prepareStatement("DELETE FROM console_sessions WHERE expires_at < ?");
                PreparedStatement insert = connection.prepareStatement("INSERT INTO console_sessions "
                        + "(token_hash, key_hash, csrf_token, created_at, expires_at) VALUES (?, ?, ?, ?, ?)")) {
            purge.setObject(1, now);
            purge.executeUpdate();
            insert.setBytes(1, KeyHashAuthenticator.hash(token));
            insert.setBytes(2, session.keyHash());
            insert.setString(3, session.csrfToken());
            insert.setObject(4, now);
            insert.setObject(5, now.plus(config.sessionDuration()));
            insert.executeUpdate();
        }
        return new Opened(token, session);
    }

    public Optional<Session> find(String token) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement(
                        "SELECT key_hash, csrf_token FROM console_sessions WHERE token_hash = ? AND expires_at > ?")) {
            query.setBytes(1, KeyHashAuthenticator.hash(token));
            query.setObject(2, now());
            try (ResultSet row = query.executeQuery()) {
                return row.next() ? Optional.of(new Session(row.getBytes(1), row.getString(2))) : Optional.empty();
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
