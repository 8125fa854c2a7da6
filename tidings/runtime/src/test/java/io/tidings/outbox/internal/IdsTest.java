package io.tidings.outbox.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

class IdsTest {

    @Test
    void ids_made_in_one_millisecond_sort_in_the_order_they_were_made() {
        Instant now = Instant.parse("2027-01-01T10:00:00.123Z"); // after any other test's ids: the state is the process's
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            ids.add(Ids.newId(now));
        }

        assertThat(ids).isSortedAccordingTo(UUID::compareTo).doesNotHaveDuplicates();
        assertThat(ids).allSatisfy(id -> assertThat(id.version()).isEqualTo(7));
        assertThat(ids.get(999).getMostSignificantBits() >>> 16).isEqualTo(now.toEpochMilli());
    }

    @Test
    void a_clock_that_steps_back_does_not_make_an_earlier_id() {
        UUID later = Ids.newId(Instant.parse("2026-12-02T10:00:01Z"));
        UUID afterStepBack = Ids.newId(Instant.parse("2026-12-02T09:59:59Z"));

        assertThat(afterStepBack).isGreaterThan(later);
    }
}
