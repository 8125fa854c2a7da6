package io.tidings.webhook.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.standardwebhooks.Webhook;

class WebhookSignatureTest {

    @Test
    void the_specifications_published_test_vector_reproduces_exactly() {
        String signature = WebhookSignature.sign("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_p5jXN8AQM9LWM0D4loKWxJek",
                1614265330L, "{\"test\": 2432232314}");

        assertThat(signature).isEqualTo("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }

    @Test
    void every_secret_in_force_signs_and_the_reference_verifier_accepts_each() throws Exception {
        String current = WebhookSignature.newSecret();
        String previous = WebhookSignature.newSecret();
        long now = System.currentTimeMillis() / 1000;
        String body = "{\"type\":\"project:created\",\"data\":{}}";

        String header = WebhookSignature.header(List.of(current, previous), "evt_1", now, body);

        assertThat(header.split(" ")).hasSize(2).allMatch(part -> part.startsWith("v1,"));
        for (String secret : List.of(current, previous)) {
            new Webhook(secret).verify(body, Map.of("webhook-id", List.of("evt_1"),
                    "webhook-timestamp", List.of(Long.toString(now)), "webhook-signature", List.of(header)));
        }
    }

    @Test
    void a_new_secret_is_whsec_and_at_least_24_random_bytes() {
        String secret = WebhookSignature.newSecret();

        assertThat(secret).startsWith("whsec_");
        assertThat(Base64.getDecoder().decode(secret.substring(6))).hasSizeGreaterThanOrEqualTo(24);
        assertThat(WebhookSignature.newSecret()).isNotEqualTo(secret);
    }
}
