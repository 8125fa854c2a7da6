package io.tidings.webhook.internal;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.tidings.api.ApiException;

/**
 * A webhook's own headers: for a receiver behind a gateway that wants a key of its own, or HTTP
 * Basic. None may stand in for what Tidings sends (the Standard Webhooks headers, the trace
 * context, the content's type and length) or what belongs to the connection.
 */
final class WebhookHeaders {

    static final int MOST = 20;
    static final String KEY = "headers";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOKEN = "[A-Za-z0-9!#$%&'*+.^_`|~-]{1,64}";
    private static final Set<String> RESERVED = Set.of("host", "content-length", "content-type", "content-encoding",
            "transfer-encoding", "connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "proxy-connection",
            "te", "trailer", "upgrade", "expect", "user-agent", "traceparent", "tracestate");

    private WebhookHeaders() {
    }

    /** @throws ApiException a 400 naming the header ({@code headers.<name>}) that may not be sent */
    static void check(Map<String, String> headers) {
        if (headers.size() > MOST) {
            throw ApiException.badRequest("headers", "at most " + MOST + " headers");
        }
        if (headers.keySet().stream().map(name -> name.toLowerCase(Locale.ROOT)).distinct().count() < headers.size()) {
            throw ApiException.badRequest("headers", "a header is named once, whatever its case");
        }
        headers.forEach((name, value) -> {
            String field = "headers." + name;
            if (!name.matches(TOKEN)) {
                throw ApiException.badRequest("headers", "a header name is 1 to 64 letters, digits or !#$%&'*+.^_`|~-");
            }
            String lower = name.toLowerCase(Locale.ROOT);
            if (lower.startsWith("webhook-") || lower.startsWith("tidings-") || RESERVED.contains(lower)) {
                throw ApiException.badRequest(field, name + " is Tidings' own or the connection's to send");
            }
            if (value == null || value.length() > 2000 || !value.matches("[\\x20-\\x7E\\t]*")) {
                throw ApiException.badRequest(field, "a header value is up to 2000 printable ASCII characters");
            }
        });
    }

    /** The header names, in order. */
    static java.util.List<String> names(Map<String, String> headers) {
        return headers.keySet().stream().sorted(String.CASE_INSENSITIVE_ORDER).toList();
    }

    /** The headers as the sealed credentials hold them under {@link #KEY}, names in order. */
    static ObjectNode node(Map<String, String> headers) {
        ObjectNode named = JSON.createObjectNode();
        names(headers).forEach(name -> named.put(name, headers.get(name)));
        return named;
    }
}
