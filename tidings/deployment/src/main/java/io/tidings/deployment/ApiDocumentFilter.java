package io.tidings.deployment;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.media.Content;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.media.Schema.SchemaType;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;

/**
 * Makes the OpenAPI document say what Tidings' endpoints answer besides success, which their
 * annotations do not: every refusal is a JSON {@code ApiError}, and the ones every operation of a
 * shape can give (for a credential, an id in its path, a body) are added here; the ones particular
 * to an operation (409, 429) are declared on its method. The
 * console's browser pages leave the document: they are forms, not an API. Runs while the
 * application is built, on Tidings' paths only; a host's own operations are left as they are,
 * but for Jackson's node types, which the scanner describes wrongly wherever they appear.
 */
final class ApiDocumentFilter implements OASFilter {

    static final List<String> TIDINGS_PATHS = List.of("/api/webhooks", "/api/tenants", "/api/events", "/api/deliveries",
            "/api/sinks", "/api/event-types", "/api/secrets", "/api/analytics");
    private static final String PUBLIC = "/api/analytics";
    private static final String CONSOLE = "/console";
    private static final String ERROR = "ApiError";
    private static final String ERROR_REF = "#/components/schemas/" + ERROR;
    private static final String OBJECT_NODE = "ObjectNode";
    private static final String JSON_NODE = "JsonNode";

    @Override
    public void filterOpenAPI(OpenAPI document) {
        if (document.getPaths() == null) {
            return;
        }
        for (String path : new ArrayList<>(document.getPaths().getPathItems().keySet())) {
            if (path.equals(CONSOLE) || path.startsWith(CONSOLE + "/")) {
                document.getPaths().removePathItem(path);
            } else if (TIDINGS_PATHS.stream().anyMatch(path::startsWith)) {
                for (Map.Entry<PathItem.HttpMethod, Operation> operation : document.getPaths().getPathItem(path).getOperations().entrySet()) {
                    addRefusals(operation.getKey() + " " + path, path, operation.getValue());
                }
            }
        }
        if (document.getComponents() == null) {
            document.setComponents(OASFactory.createComponents());
        }
        document.getComponents().addSchema(ERROR, apiError());
        // Jackson's ObjectNode is Iterable, so the scanner calls it an array; it is an object, whoever's field it is.
        if (document.getComponents().getSchemas().containsKey(OBJECT_NODE)) {
            document.getComponents().addSchema(OBJECT_NODE, OASFactory.createSchema().addType(SchemaType.OBJECT));
        }
        if (document.getComponents().getSchemas().containsKey(JSON_NODE)) {
            document.getComponents().addSchema(JSON_NODE, OASFactory.createSchema().description("Any JSON value"));
        }
    }

    private static void addRefusals(String name, String path, Operation operation) {
        APIResponses responses = operation.getResponses();
        boolean body = operation.getRequestBody() != null || !name.startsWith("GET") && !name.startsWith("DELETE");
        boolean parameters = operation.getParameters() != null && !operation.getParameters().isEmpty();
        if (body || parameters) {
            refusal(responses, "400", "The request is malformed: the error names the field");
        }
        if (!path.startsWith(PUBLIC)) {
            refusal(responses, "401", "No credential, or one that is not valid");
            refusal(responses, "403", "The credential may not do this (a tenant's key on the admin API, or the other way round)");
        }
        if (path.contains("{")) {
            refusal(responses, "404", "Nothing with that id, or nothing the caller may see");
        }
        if (body) {
            refusal(responses, "413", "The body is larger than tidings.api.max-body");
            refusal(responses, "415", "The body is not application/json");
        }
        // Refusals an operation declares itself (409, 429) get the same body.
        responses.getAPIResponses().forEach((status, response) -> {
            if (status.startsWith("4") && response.getContent() == null) {
                response.setContent(json());
            }
        });
    }

    private static void refusal(APIResponses responses, String status, String description) {
        if (!responses.hasAPIResponse(status)) {
            responses.addAPIResponse(status, OASFactory.createAPIResponse().description(description).content(json()));
        }
    }

    private static Content json() {
        return OASFactory.createContent().addMediaType("application/json",
                OASFactory.createMediaType().schema(OASFactory.createSchema().ref(ERROR_REF)));
    }

    private static Schema apiError() {
        Schema text = OASFactory.createSchema().addType(SchemaType.STRING);
        Schema violation = OASFactory.createSchema().addType(SchemaType.OBJECT)
                .addProperty("field", text).addProperty("message", text).required(List.of("field", "message"));
        return OASFactory.createSchema().addType(SchemaType.OBJECT)
                .description("The body of every refusal: what went wrong, and which request field caused it")
                .addProperty("status", OASFactory.createSchema().addType(SchemaType.INTEGER))
                .addProperty("error", text)
                .addProperty("field", OASFactory.createSchema().addType(SchemaType.STRING).description("The first offending field"))
                .addProperty("violations", OASFactory.createSchema().addType(SchemaType.ARRAY).items(violation))
                .required(List.of("status", "error"));
    }
}
