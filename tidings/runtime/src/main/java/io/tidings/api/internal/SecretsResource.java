package io.tidings.api.internal;

import java.sql.SQLException;
import java.util.Map;

import io.tidings.api.TidingsEndpoint;
import io.tidings.secrets.internal.WebhookSecrets;
import jakarta.inject.Inject;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** After a change of {@code tidings.secrets.key}: seals every webhook secret again under the new key. */
@TidingsEndpoint
@RequiresAdmin
@Path("/api/secrets")
@Produces(MediaType.APPLICATION_JSON)
public class SecretsResource {

    @Inject
    WebhookSecrets secrets;

    /** @return how many webhooks' secrets were sealed again; once it is 0 on every instance, old keys can go */
    @POST
    @Path("re-encrypt")
    public Map<String, Integer> reEncrypt() throws SQLException {
        return Map.of("resealed", secrets.reseal());
    }
}
