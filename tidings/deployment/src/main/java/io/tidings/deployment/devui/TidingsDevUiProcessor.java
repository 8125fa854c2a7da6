package io.tidings.deployment.devui;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.quarkus.deployment.IsDevelopment;
import io.quarkus.deployment.annotations.BuildStep;
import io.quarkus.devui.spi.JsonRPCProvidersBuildItem;
import io.quarkus.devui.spi.page.CardPageBuildItem;
import io.quarkus.devui.spi.page.Page;
import io.quarkus.vertx.http.deployment.HttpRootPathBuildItem;
import io.tidings.deployment.DeclaredEventTypesBuildItem;
import io.tidings.ops.internal.OutboxDevUi;
import io.tidings.outbox.internal.EventType;
import io.tidings.analytics.internal.SchemaRules;

/**
 * Tidings' card in the Dev UI: the outbox per subscriber kind (asked of the running application),
 * the event types the build declared with their schema files, and a link to the console.
 */
class TidingsDevUiProcessor {

    @BuildStep(onlyIf = IsDevelopment.class)
    CardPageBuildItem card(DeclaredEventTypesBuildItem declared, HttpRootPathBuildItem root) {
        CardPageBuildItem card = new CardPageBuildItem();
        card.addBuildTimeData("eventTypes", declared.types().stream().map(TidingsDevUiProcessor::row).toList());
        card.addPage(Page.webComponentPageBuilder().title("Outbox").icon("font-awesome-solid:inbox")
                .componentLink("qwc-tidings-outbox.js").dynamicLabelJsonRPCMethodName("pendingLabel"));
        card.addPage(Page.tableDataPageBuilder("Event types").icon("font-awesome-solid:list")
                .buildTimeDataKey("eventTypes").showColumn("name").showColumn("version").showColumn("telemetry")
                .showColumn("fromClients").showColumn("schemas").showColumn("description")
                .staticLabel(String.valueOf(declared.types().size())));
        card.addPage(Page.externalPageBuilder("Console").icon("font-awesome-solid:desktop")
                .url(root.resolvePath("console")).doNotEmbed());
        return card;
    }

    // Not for dev mode only: Quarkus also reads JSON-RPC providers to check execution-model annotations.
    @BuildStep
    JsonRPCProvidersBuildItem jsonRpc() {
        return new JsonRPCProvidersBuildItem(OutboxDevUi.class);
    }

    private static Map<String, Object> row(EventType type) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("name", type.name());
        row.put("version", type.schemaVersion());
        row.put("telemetry", type.telemetryAllowed());
        row.put("fromClients", type.clientAllowed());
        row.put("schemas", String.join(", ", SchemaRules.paths(List.of(type))));
        row.put("description", type.description());
        return row;
    }
}
