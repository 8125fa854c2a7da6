package io.tidings.webhook;

import java.time.Instant;
import java.util.List;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/** The bodies the webhook API accepts. */
final class WebhookRequests {

    private WebhookRequests() {
    }

    record CreateWebhook(@NotBlank @Size(max = 2000) String url,
            @NotNull @Size(min = 1, max = 100) List<@NotBlank String> eventTypes,
            @Size(max = 500) String description) {
    }

    /** Absent fields stay as they are. */
    record UpdateWebhook(@Size(min = 1, max = 2000) String url,
            @Size(min = 1, max = 100) List<@NotBlank String> eventTypes,
            @Size(max = 500) String description,
            Boolean enabled) {
    }

    record Recover(@NotNull Instant since) {
    }
}
