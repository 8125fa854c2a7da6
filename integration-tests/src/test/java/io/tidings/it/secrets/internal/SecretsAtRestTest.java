package io.tidings.it.secrets.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.equalTo;

import java.util.Base64;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.tidings.it.support.EmptyDatabaseTest;
import io.tidings.it.support.Tenants;
import io.tidings.outbox.internal.SubscriberSecrets;
import io.tidings.secrets.internal.SecretBox;
import io.tidings.secrets.internal.WebhookSecrets;

/** Secrets stored before encryption, under an old key, or with no key at all, on the tests' real database. */
@QuarkusTest
class SecretsAtRestTest extends EmptyDatabaseTest {

    private static final byte[] CONFIGURED = Base64.getDecoder().decode("dGlkaW5ncy10ZXN0LXNlY3JldHMta2V5LTMyYnl0ZXM=");

    @Inject
    DataSource dataSource;
    @Inject
    WebhookSecrets secrets;

    @Test
    void plaintext_and_old_key_secrets_are_sealed_again_under_the_current_key_and_still_open() throws Exception {
        UUID plain = webhookWithSecret("whsec_plain");
        byte[] oldKey = Base64.getDecoder().decode(WebhookSecrets.newKey());
        UUID old = webhookWithSecret(new SecretBox(List.of(oldKey)).seal("whsec_old"));
        db.update("UPDATE subscribers SET previous_secrets = jsonb_build_array(jsonb_build_object('secret', 'whsec_prev', "
                + "'expires_at', '2999-01-01T00:00:00Z')) WHERE id = ?", plain);

        WebhookSecrets rotated = new WebhookSecrets(new SubscriberSecrets(dataSource), List.of(CONFIGURED, oldKey));
        assertThat(rotated.reseal()).isEqualTo(2);
        assertThat(rotated.reseal()).as("nothing left to seal").isZero();

        SecretBox current = new SecretBox(List.of(CONFIGURED));
        assertThat(current.open(secretOf(plain))).isEqualTo("whsec_plain");
        assertThat(current.open(secretOf(old))).isEqualTo("whsec_old");
        assertThat(current.open((String) db.value("SELECT previous_secrets -> 0 ->> 'secret' FROM subscribers WHERE id = ?", plain)))
                .isEqualTo("whsec_prev");
        assertThat((String) db.value("SELECT string_agg(secret || previous_secrets::text, ' ') FROM subscribers WHERE kind = 'webhook'"))
                .doesNotContain("whsec_");
    }

    @Test
    void the_admin_can_ask_for_the_secrets_to_be_sealed_again() {
        UUID plain = webhookWithSecret("whsec_plain");
        Tenants.admin().when().post("/api/secrets/re-encrypt").then().statusCode(200).body("resealed", equalTo(1));
        assertThat(secretOf(plain)).startsWith("v1:");
        Tenants.Tenant acme = Tenants.create("Acme");
        acme.given().when().post("/api/secrets/re-encrypt").then().statusCode(403);
    }

    @Test
    void without_a_key_a_start_with_stored_secrets_is_refused_with_what_to_set() throws Exception {
        WebhookSecrets keyless = new WebhookSecrets(new SubscriberSecrets(dataSource), List.of());
        keyless.onStart(null); // nothing stored yet: the start goes on
        webhookWithSecret("whsec_plain");
        assertThatThrownBy(() -> keyless.onStart(null)).hasMessageContaining("set tidings.secrets.key");
        assertThatThrownBy(() -> keyless.seal("whsec_new")).isInstanceOf(WebhookSecrets.NoSecretsKey.class);
    }

    private UUID webhookWithSecret(String secret) {
        UUID id = db.webhook("https://example.test/hook", true, "*");
        db.update("UPDATE subscribers SET secret = ? WHERE id = ?", secret, id);
        return id;
    }

    private String secretOf(UUID webhook) {
        return (String) db.value("SELECT secret FROM subscribers WHERE id = ?", webhook);
    }
}
