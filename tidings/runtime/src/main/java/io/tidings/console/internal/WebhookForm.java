package io.tidings.console.internal;

import java.util.Arrays;
import java.util.List;

import io.tidings.api.ApiException;

import io.tidings.webhook.internal.WebhookView;

/** A webhook form's fields as typed, so that a refused form comes back filled in. */
record WebhookForm(String url, String eventTypes, String description, boolean ordered, String maxPerSecond) {

    static final WebhookForm EMPTY = new WebhookForm("", "*", "", false, "");

    static WebhookForm of(WebhookView webhook) {
        return new WebhookForm(webhook.url(), String.join(", ", webhook.eventTypes()),
                webhook.description() == null ? "" : webhook.description(), webhook.ordered(),
                webhook.maxPerSecond() == null ? "" : String.valueOf(webhook.maxPerSecond()));
    }

    /** The rate limit as the API takes it: 0, no limit, when the field is blank. @throws ApiException a 400 naming it */
    int rateLimit() {
        if (maxPerSecond == null || maxPerSecond.isBlank()) {
            return 0;
        }
        try {
            return Integer.parseInt(maxPerSecond.trim());
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("maxPerSecond", "The most messages a second is a whole number, or blank for no limit");
        }
    }

    /** The patterns, split at commas and white space; none when the field is blank. */
    List<String> patterns() {
        return eventTypes == null ? List.of() : Arrays.stream(eventTypes.split("[,\\s]+")).filter(p -> !p.isBlank()).toList();
    }

    String descriptionOrNull() {
        return description == null || description.isBlank() ? null : description;
    }
}
