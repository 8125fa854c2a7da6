package io.tidings.telemetry;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import io.tidings.api.PublicEndpoint;
import io.tidings.outbox.EventType;
import io.tidings.outbox.EventTypeRegistry;
import io.tidings.api.TidingsEndpoint;

/**
 * A plain page for end users, generated from the telemetry schemas: whether analytics is on, what
 * each event sends, and how an operator turns it off. Needs no credential.
 */
@TidingsEndpoint
@PublicEndpoint
@Path("/collected")
public class CollectedPage {

    @Inject
    EventTypeRegistry types;
    @Inject
    CollectedFields collected;
    @Inject
    AnalyticsConfig config;

    @GET
    @Produces(MediaType.TEXT_HTML)
    public String page() {
        StringBuilder html = new StringBuilder("""
                <!DOCTYPE html>
                <html lang="en"><head><meta charset="utf-8"><title>What Tidings collects</title>
                <style>body{font-family:sans-serif;max-width:50em;margin:2em auto;line-height:1.5}
                td,th{text-align:left;padding:.2em .6em;vertical-align:top}</style></head><body>
                <h1>What this installation collects</h1>
                """);
        html.append("<p id=\"status\">Analytics is <strong>").append(config.active() ? "on" : "off").append("</strong>.")
                .append(config.active() ? " The events below are sent, in batches, to the analytics backend its operator chose."
                        : " Nothing is sent anywhere.")
                .append("</p>\n<p>No names, email addresses, free text, URLs or file paths are ever sent. Identifiers are ")
                .append("replaced by pseudonyms (a keyed hash) that let the backend count distinct items but not trace them back.</p>\n")
                .append("<p>An operator turns analytics off with <code>tidings.analytics.enabled=false</code> ")
                .append("(or by removing <code>tidings.analytics.endpoint</code>) and a restart.</p>\n");
        for (EventType type : types.all()) {
            var fields = collected.of(type);
            if (fields.isEmpty()) {
                continue;
            }
            html.append("<h2>").append(escape(type.name())).append("</h2>\n<p>").append(escape(type.description()))
                    .append("</p>\n<table><tr><th>Field</th><th>What it is</th></tr>\n");
            fields.forEach(field -> html.append("<tr><td><code>").append(escape(field.path())).append("</code></td><td>")
                    .append(escape(field.description())).append("</td></tr>\n"));
            html.append("</table>\n");
        }
        return html.append("</body></html>\n").toString();
    }

    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
