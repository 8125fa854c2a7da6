package io.tidings.console.internal;

import java.util.Arrays;
import java.util.List;

import io.tidings.webhook.internal.WebhookView;

/** A webhook form's fields as typed, so that a refused form comes back filled in. */
record WebhookForm(String url, String eventTypes, String description, boolean ordered) {

    static final WebhookForm EMPTY = new WebhookForm("", "*", "", false);

    static WebhookForm of(WebhookView webhook) {
        return new WebhookForm(webhook.url(), String.join(", ", webhook.eventTypes()),
                webhook.description() == null ? "" : webhook.description(), webhook.ordered());
    }

    /** The patterns, split at commas and white space; none when the field is blank. */
    List<String> patterns() {
        return eventTypes == null ? List.of() : Arrays.stream(eventTypes.split("[,\\s]+")).filter(p -> !p.isBlank()).toList();
    }

    String descriptionOrNull() {
        return description == null || description.isBlank() ? null : description;
    }
}
