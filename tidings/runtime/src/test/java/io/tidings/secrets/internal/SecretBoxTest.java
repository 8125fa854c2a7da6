package io.tidings.secrets.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.Test;

class SecretBoxTest {

    static final byte[] OLD = Base64.getDecoder().decode(WebhookSecrets.newKey());
    static final byte[] NEW = Base64.getDecoder().decode(WebhookSecrets.newKey());

    @Test
    void sealed_secrets_open_only_with_their_key_and_never_read_the_same_twice() {
        SecretBox box = new SecretBox(List.of(NEW));
        String sealed = box.seal("whsec_abc");
        assertThat(sealed).startsWith("v1:" + SecretBox.idOf(NEW) + ":").doesNotContain("abc");
        assertThat(box.seal("whsec_abc")).isNotEqualTo(sealed);
        assertThat(box.open(sealed)).isEqualTo("whsec_abc");
        assertThat(box.isCurrent(sealed)).isTrue();
        assertThatThrownBy(() -> new SecretBox(List.of(OLD)).open(sealed))
                .hasMessageContaining("neither tidings.secrets.key nor one of tidings.secrets.previous-keys");
    }

    @Test
    void after_a_key_rotation_the_old_key_still_opens_what_it_sealed() {
        String sealedBefore = new SecretBox(List.of(OLD)).seal("whsec_old");
        SecretBox rotated = new SecretBox(List.of(NEW, OLD));
        assertThat(rotated.open(sealedBefore)).isEqualTo("whsec_old");
        assertThat(rotated.isCurrent(sealedBefore)).isFalse();
    }

    @Test
    void an_altered_value_does_not_open() {
        SecretBox box = new SecretBox(List.of(NEW));
        String sealed = box.seal("whsec_abc");
        int cut = sealed.lastIndexOf(':') + 1;
        byte[] bytes = Base64.getDecoder().decode(sealed.substring(cut));
        bytes[bytes.length / 2] ^= 1; // one bit of the ciphertext
        String altered = sealed.substring(0, cut) + Base64.getEncoder().encodeToString(bytes);
        assertThatThrownBy(() -> box.open(altered)).hasMessageContaining("altered");
        assertThatThrownBy(() -> new SecretBox(List.of(new byte[16]))).hasMessageContaining("32 bytes");
    }
}
