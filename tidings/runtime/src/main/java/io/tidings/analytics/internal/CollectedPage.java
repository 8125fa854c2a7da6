package io.tidings.analytics.internal;

import java.util.List;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import io.quarkus.arc.properties.IfBuildProperty;
import io.tidings.analytics.internal.EventSchemas.Kind;
import io.tidings.api.PublicEndpoint;
import io.tidings.api.TidingsEndpoint;
import io.tidings.outbox.internal.EventType;
import io.tidings.outbox.internal.EventTypeRegistry;
import io.tidings.outbox.internal.Subscribers;

/**
 * A plain page for end users, generated from the telemetry schemas: whether analytics is on, what
 * each event sends, and how an operator turns it off. Needs no credential.
 */
@TidingsEndpoint
@PublicEndpoint
@IfBuildProperty(name = AnalyticsBuildConfig.COLLECTED_PAGE_ENABLED, stringValue = "true", enableIfMissing = true)
@Path("/collected")
public class CollectedPage {

    @Inject
    EventTypeRegistry types;
    @Inject
    CollectedFields collected;
    @Inject
    AnalyticsConfig config;
    @Inject
    Subscribers subscribers;
    @Inject
    SchemaResource catalog; // left out only with this page

    /** Where telemetry goes: the configured backend, and every destination an operator added. */
    record Destination(String name, String kind, String patterns) {
    }

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
        List<Destination> destinations = destinations();
        html.append("<p id=\"status\">Analytics is <strong>").append(destinations.isEmpty() ? "off" : "on").append("</strong>.")
                .append(destinations.isEmpty() ? " Nothing is sent anywhere."
                        : " The events below are sent, in batches, to the destinations its operator chose:")
                .append("</p>\n");
        if (!destinations.isEmpty()) {
            html.append("<ul id=\"destinations\">\n");
            destinations.forEach(destination -> html.append("<li><strong>").append(escape(destination.name()))
                    .append("</strong> (").append(escape(destination.kind())).append("), for ")
                    .append(escape(destination.patterns())).append("</li>\n"));
            html.append("</ul>\n");
        }
        html.append("<p>No names, email addresses, free text, URLs or file paths are ever sent. Identifiers are ")
                .append("replaced by pseudonyms (a keyed hash) that let the backend count distinct items but not trace them back.</p>\n")
                .append("<p>An operator turns analytics off with <code>tidings.analytics.enabled=false</code> ")
                .append("(or by removing <code>tidings.analytics.endpoint</code>) and a restart.</p>\n");
        html.append("<p id=\"browser\">Pages may also send events from your browser with <a href=\"/tidings.js\">tidings.js</a>: ")
                .append("the types marked <em>from your browser</em> below, and nothing else. ")
                .append(config.consentRequired() ? "It sends nothing until you agree (consent is required)"
                        : "It does not ask for consent first (consent is not required)")
                .append(config.honorDoNotTrack() ? ", and nothing at all while your browser's Do Not Track is on." : ".")
                .append("</p>\n");
        for (EventType type : types.all()) {
            var fields = collected.of(type);
            if (fields.isEmpty()) {
                continue;
            }
            html.append("<h2>").append(escape(type.name())).append(type.clientAllowed() ? " <em>from your browser</em>" : "")
                    .append("</h2>\n<p>").append(escape(type.description())).append("</p>\n");
            catalog.url(type, Kind.TELEMETRY).ifPresent(url -> html.append("<p><a href=\"").append(escape(url))
                    .append("\">Its schema</a> and <a href=\"").append(escape(SchemaResource.exampleUrl(url)))
                    .append("\">an example</a> of what is sent.</p>\n"));
            html.append("<table><tr><th>Field</th><th>What it is</th></tr>\n");
            fields.forEach(field -> html.append("<tr><td><code>").append(escape(field.path())).append("</code></td><td>")
                    .append(escape(field.description())).append("</td></tr>\n"));
            html.append("</table>\n");
        }
        return html.append("</body></html>\n").toString();
    }

    private List<Destination> destinations() {
        return subscribers.telemetryDestinations().stream().map(destination -> new Destination(destination.description(),
                destination.kind(), "*".equals(destination.patterns()) ? "every event type below" : "event types " + destination.patterns()))
                .toList();
    }

    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
