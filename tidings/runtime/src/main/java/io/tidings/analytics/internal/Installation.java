package io.tidings.analytics.internal;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.StartupEvent;
import io.tidings.secrets.internal.KeyFiles;

/**
 * This installation's identity: the id its telemetry carries, and the secret that pseudonymizes
 * identifiers. Made once, at the first start, and stored so that every replica and every restart
 * pseudonymizes alike; {@code tidings.analytics.pseudonym-key} replaces the stored secret.
 */
@Singleton
public class Installation {

    private static final String CREATE = "INSERT INTO installation (id, pseudonym_key) VALUES (?, ?) ON CONFLICT DO NOTHING";

    private static final Logger LOG = Logger.getLogger(Installation.class);

    private final DataSource dataSource;
    private final AnalyticsConfig config;
    private volatile Identity identity;

    @Inject
    public Installation(DataSource dataSource, AnalyticsConfig config) {
        this.dataSource = dataSource;
        this.config = config;
    }

    public UUID id() {
        return identity().id();
    }

    byte[] pseudonymKey() {
        return identity().key();
    }

    private Identity identity() {
        Identity known = identity;
        if (known == null) {
            synchronized (this) {
                if (identity == null) {
                    identity = load();
                }
                known = identity;
            }
        }
        return known;
    }

    private Identity load() {
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        try (Connection connection = dataSource.getConnection();
                PreparedStatement create = connection.prepareStatement(CREATE);
                PreparedStatement read = connection.prepareStatement("SELECT id, pseudonym_key FROM installation")) {
            create.setObject(1, UUID.randomUUID());
            create.setString(2, Base64.getEncoder().encodeToString(random));
            create.executeUpdate();
            try (ResultSet row = read.executeQuery()) {
                row.next();
                String key = configuredKey(config).orElse(row.getString(2));
                return new Identity(row.getObject(1, UUID.class), key.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read or create the installation row", e);
        }
    }

    /**
     * Marks the heartbeat of {@code day} as this instance's to send, unless another instance of the
     * installation took that day or a later one; in the caller's transaction, so that a heartbeat
     * that is not recorded leaves the day to be taken again. @return whether it is this instance's
     */
    public boolean takeHeartbeat(java.time.LocalDate day) throws SQLException {
        id(); // the row exists
        try (Connection connection = dataSource.getConnection(); PreparedStatement take = connection.prepareStatement(
                "UPDATE installation SET heartbeat_day = ? WHERE heartbeat_day IS NULL OR heartbeat_day < ?")) {
            take.setObject(1, day);
            take.setObject(2, day);
            return take.executeUpdate() == 1;
        }
    }

    /** The pseudonym key from the configuration or its file; empty when the one stored in the database is used. */
    static Optional<String> configuredKey(AnalyticsConfig config) {
        return config.pseudonymKey().or(() -> config.pseudonymKeyFile()
                .map(file -> KeyFiles.read(file, "tidings.analytics.pseudonym-key-file")));
    }

    // Where telemetry leaves a production installation, a key beside the ids it hides protects
    // them from the analytics backend only, not from whoever reads the database.
    void warnWhenStoredBesideTheIds(@Observes StartupEvent start) {
        if (LaunchMode.current() == LaunchMode.NORMAL && config.active() && configuredKey(config).isEmpty()
                && !KeyFiles.embeddedRun()) {
            LOG.warn("The telemetry pseudonym key is stored in the database beside the identifiers it hides: a copy of the "
                    + "database can re-identify them. Set tidings.analytics.pseudonym-key or pseudonym-key-file.");
        }
    }

    private record Identity(UUID id, byte[] key) {
    }
}
