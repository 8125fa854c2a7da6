package io.tidings.secrets.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.tidings.outbox.internal.SubscriberSecrets;

/**
 * Webhook signing secrets at rest: sealed with {@link SecretBox} under {@code tidings.secrets.key}
 * before they are written, opened only to sign. At start, and on request, every secret not sealed
 * under the current key (plaintext from before encryption, or an older key) is sealed again; a
 * start with stored secrets and no key fails with what to set. Previous secrets past their overlap
 * are cleared.
 */
@Singleton
public class WebhookSecrets {

    static final Path GENERATED_FILE = Path.of(".tidings", "secrets-key");
    private static final Logger LOG = Logger.getLogger(WebhookSecrets.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int BATCH = 500;
    private static final String NO_KEY = "set tidings.secrets.key (or tidings.secrets.key-file) to 32 random bytes in base64: "
            + "openssl rand -base64 32";

    private final SubscriberSecrets columns;
    private final SecretBox box; // null without a key

    @Inject
    public WebhookSecrets(SubscriberSecrets columns, SecretsConfig config) {
        this(columns, keys(config, KeyFiles.embeddedRun()));
    }

    /** @param keys the current key first, then keys that still open what they sealed; empty for none */
    public WebhookSecrets(SubscriberSecrets columns, List<byte[]> keys) {
        this.columns = columns;
        this.box = keys.isEmpty() ? null : new SecretBox(keys);
    }

    public void onStart(@Observes StartupEvent start) throws SQLException {
        if (box == null) {
            requireNoneStored();
        } else {
            int sealed = reseal();
            if (sealed > 0) {
                LOG.infof("Sealed the signing secrets of %d webhooks under the current tidings.secrets.key", sealed);
            }
        }
    }

    /** @throws NoSecretsKey when no key is configured */
    public String seal(String secret) {
        if (box == null) {
            throw new NoSecretsKey("Webhook secrets cannot be stored: " + NO_KEY);
        }
        return box.seal(secret);
    }

    /** The secret itself; a value stored before secrets were sealed (until the start's pass) as it is. */
    public String open(String stored) {
        if (!stored.startsWith(SecretBox.VERSION)) {
            return stored;
        }
        if (box == null) {
            throw new NoSecretsKey("A sealed webhook secret cannot be opened: " + NO_KEY);
        }
        return box.open(stored);
    }

    /** Sealed credentials (a JSON object: a webhook's headers, its OAuth client), opened; an empty object for none (null). */
    public ObjectNode openObject(String stored) {
        if (stored == null) {
            return JSON.createObjectNode();
        }
        try {
            return (ObjectNode) JSON.readTree(open(stored));
        } catch (IOException e) {
            throw new IllegalStateException("sealed credentials are a JSON object", e);
        }
    }

    /** Seals again, under the current key, every secret that is not. @return how many webhooks changed */
    public int reseal() throws SQLException {
        if (box == null) {
            throw new NoSecretsKey("Nothing can be sealed: " + NO_KEY);
        }
        int total = 0;
        for (int changed = resealBatch(); changed > 0; changed = resealBatch()) {
            total += changed;
        }
        return total;
    }

    private int resealBatch() throws SQLException {
        return columns.reseal(box.currentPrefix(), BATCH, this::resealed, this::resealedList);
    }

    private String resealed(String stored) {
        return box.isCurrent(stored) ? stored : box.seal(open(stored));
    }

    private String resealedList(String json) {
        try {
            ArrayNode list = (ArrayNode) JSON.readTree(json);
            list.forEach(entry -> ((ObjectNode) entry).put("secret", resealed(entry.path("secret").asText())));
            return list.toString();
        } catch (IOException e) {
            throw new UncheckedIOException("previous_secrets is a JSON array", e);
        }
    }

    @Scheduled(every = "10m", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void clearExpiredRegularly() throws SQLException {
        clearExpired();
    }

    /** Clears previous secrets whose overlap has passed. @return how many webhooks changed */
    public int clearExpired() throws SQLException {
        return columns.clearExpiredPrevious();
    }

    private void requireNoneStored() throws SQLException {
        if (columns.anyStored()) {
            throw new IllegalStateException("Webhook signing secrets are stored in the database, and no key seals them: " + NO_KEY);
        }
    }

    private static List<byte[]> keys(SecretsConfig config, boolean embeddedRun) {
        Optional<String> current = config.key().or(() -> config.keyFile().map(file -> KeyFiles.read(file, "tidings.secrets.key-file")));
        if (current.isEmpty() && embeddedRun) {
            current = Optional.of(KeyFiles.readOrCreate(GENERATED_FILE, WebhookSecrets::newKey));
            LOG.infof("No tidings.secrets.key is set: this run on the embedded PostgreSQL seals webhook secrets with the key in %s "
                    + "(readable by you only)", GENERATED_FILE.toAbsolutePath());
        }
        List<byte[]> keys = new ArrayList<>();
        current.ifPresent(key -> keys.add(decode("tidings.secrets.key", key)));
        if (!keys.isEmpty()) {
            config.previousKeys().orElse(List.of()).forEach(key -> keys.add(decode("tidings.secrets.previous-keys", key)));
        }
        return keys;
    }

    private static byte[] decode(String name, String key) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(key.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(name + " is not base64: " + NO_KEY);
        }
        if (bytes.length != 32) {
            throw new IllegalStateException(name + " is " + bytes.length + " bytes, not 32: " + NO_KEY);
        }
        return bytes;
    }

    public static String newKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    /** No key is configured where one is needed. */
    public static final class NoSecretsKey extends IllegalStateException {
        NoSecretsKey(String message) {
            super(message);
        }
    }
}
