package io.tidings.stream.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.UUID;

import org.junit.jupiter.api.Test;

/** A stream record's id is the dead delivery's id should it become one: it must not change with how it is computed. */
class StreamRecordIdTest {

    @Test
    void a_record_id_is_the_name_based_uuid_of_subscriber_and_event_with_one_digest_reused() throws Exception {
        MessageDigest md5 = MessageDigest.getInstance("MD5");
        for (int i = 0; i < 1_000; i++) {
            byte[] name = (UUID.randomUUID() + "/" + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);
            assertThat(StreamReader.nameUuid(md5, name)).isEqualTo(UUID.nameUUIDFromBytes(name));
        }
    }
}
