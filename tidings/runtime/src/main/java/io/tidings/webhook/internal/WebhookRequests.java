package io.tidings.webhook.internal;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The bodies the webhook API accepts. */
public final class WebhookRequests {

    private WebhookRequests() {
    }

    public record CreateWebhook(@Schema(examples = "https://hooks.example.com/tidings") @NotBlank @Size(max = 2000) String url,
            @Schema(examples = "[\"project:*\", \"project:job:failed\"]") @NotNull @Size(min = 1, max = 100) List<@NotBlank String> eventTypes,
            @Schema(examples = "Build alerts for the ops channel") @Size(max = 500) String description,
            @Schema(description = "Deliver the events of one aggregate (a project, say) one at a time, in the order they happened; a failing one holds the later ones of its aggregate")
            Boolean ordered,
            @Schema(description = HEADERS, examples = "{\"X-Api-Key\": \"gateway-key\"}") Map<String, String> headers,
            @Schema(description = AUTH) Auth auth,
            @Schema(description = RETRY_SCHEDULE, examples = "[\"30s\", \"5m\", \"1h\"]") List<String> retrySchedule,
            @Schema(description = MAX_PER_SECOND, examples = "20") @Min(0) @Max(MOST_PER_SECOND) Integer maxPerSecond) {

        public CreateWebhook(String url, List<String> eventTypes, String description, Boolean ordered) {
            this(url, eventTypes, description, ordered, null, null, null, null);
        }
    }

    static final int MOST_PER_SECOND = 10_000;

    static final String MAX_PER_SECOND = "The most messages a second it is sent, over all instances together; those over the "
            + "rate wait their turn, without counting as failures. 0 or absent for no limit";

    static final String RETRY_SCHEDULE = "Its own waits between attempts, within the installation's bounds; "
            + "absent or [] for the installation's schedule";

    static final String AUTH = "An OAuth 2.0 client (client credentials grant) whose bearer token each message carries; "
            + "its secret is sealed and never shown again";

    /** A webhook's OAuth 2.0 client; {@code {}} removes it. */
    public record Auth(@Schema(examples = "oauth2") String type,
            @Schema(examples = "https://auth.example.com/oauth/token") String tokenUrl,
            @Schema(examples = "tidings-webhooks") String clientId,
            @Schema(nullable = true) String clientSecret,
            @Schema(nullable = true, examples = "webhooks:write") String scope) {
    }

    static final String HEADERS = "Headers of your own sent with every message, such as a gateway's key or "
            + "Authorization: Basic ...; sealed, and never shown again: the API shows their names";

    /** Absent fields stay as they are. */
    public record UpdateWebhook(@Size(min = 1, max = 2000) String url,
            @Size(min = 1, max = 100) List<@NotBlank String> eventTypes,
            @Size(max = 500) String description,
            Boolean enabled,
            Boolean ordered,
            @Schema(description = HEADERS + ". Replaces them all; {} sends none") Map<String, String> headers,
            @Schema(description = AUTH + ". Replaces it; {} removes it") Auth auth,
            @Schema(description = RETRY_SCHEDULE) List<String> retrySchedule,
            @Schema(description = MAX_PER_SECOND) @Min(0) @Max(MOST_PER_SECOND) Integer maxPerSecond) {

        public UpdateWebhook(String url, List<String> eventTypes, String description, Boolean enabled, Boolean ordered) {
            this(url, eventTypes, description, enabled, ordered, null, null, null, null);
        }
    }

    public record Recover(@Schema(examples = "2026-11-20T00:00:00Z") @NotNull Instant since) {
    }
}
