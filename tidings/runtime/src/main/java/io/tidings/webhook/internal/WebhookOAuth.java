package io.tidings.webhook.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.tidings.api.ApiException;
import io.tidings.webhook.internal.WebhookRequests.Auth;

/**
 * A webhook's OAuth 2.0 client, for a receiver that takes a bearer token (the client credentials
 * grant, RFC 6749 §4.4): checked as the API takes it, sealed with the webhook's headers, and shown
 * without its secret.
 */
final class WebhookOAuth {

    static final String KEY = "oauth2";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PRINTABLE = "[\\x20-\\x7E]*";

    private WebhookOAuth() {
    }

    /** Whether the request asks to remove the client: {@code "auth": {}}. */
    static boolean isNone(Auth auth) {
        return auth.type() == null && auth.tokenUrl() == null && auth.clientId() == null && auth.clientSecret() == null
                && auth.scope() == null;
    }

    /** @throws ApiException a 400 naming the field ({@code auth.<field>}) that is missing or malformed */
    static void check(Auth auth) {
        if (!KEY.equals(auth.type())) {
            throw ApiException.badRequest("auth.type", "the one kind is \"oauth2\" (client credentials); {} removes it");
        }
        required("auth.tokenUrl", auth.tokenUrl(), 2000);
        required("auth.clientId", auth.clientId(), 200);
        required("auth.clientSecret", auth.clientSecret(), 1000);
        if (auth.scope() != null && (auth.scope().length() > 1000 || !auth.scope().matches(PRINTABLE))) {
            throw ApiException.badRequest("auth.scope", "a scope is up to 1000 printable ASCII characters");
        }
    }

    private static void required(String field, String value, int longest) {
        if (value == null || value.isBlank() || value.length() > longest || !value.matches(PRINTABLE)) {
            throw ApiException.badRequest(field, "required: 1 to " + longest + " printable ASCII characters");
        }
    }

    /** The client as the sealed credentials hold it, secret included. */
    static ObjectNode sealedPart(Auth auth) {
        ObjectNode client = JSON.createObjectNode().put("tokenUrl", auth.tokenUrl()).put("clientId", auth.clientId())
                .put("clientSecret", auth.clientSecret());
        return auth.scope() == null ? client : client.put("scope", auth.scope());
    }

    /** What the API shows of it: everything but the secret. */
    static String summary(Auth auth) {
        ObjectNode summary = JSON.createObjectNode().put("type", KEY).put("tokenUrl", auth.tokenUrl()).put("clientId", auth.clientId());
        return (auth.scope() == null ? summary : summary.put("scope", auth.scope())).toString();
    }

    /** The summary as the view shows it, or null. */
    static JsonNode view(String summary) {
        try {
            return summary == null ? null : JSON.readTree(summary);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("auth_summary is JSON", e);
        }
    }
}
