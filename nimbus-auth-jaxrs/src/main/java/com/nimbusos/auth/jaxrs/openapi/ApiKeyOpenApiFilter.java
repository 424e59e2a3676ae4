package com.nimbusos.auth.jaxrs.openapi;

import com.nimbusos.auth.api.engine.AuthError;
import com.nimbusos.auth.api.engine.NimbusHeaders;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.Components;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;
import org.eclipse.microprofile.openapi.models.security.SecurityScheme;

/**
 * Adds Nimbus Auth to the application's OpenAPI document when the platform has MicroProfile
 * OpenAPI: the {@code X-API-Key} security scheme ({@code type: apiKey, in: header}), required by
 * every operation, and the documented {@code 401} and {@code 403} responses with their error
 * schema. Enabled by the jar's own {@code META-INF/microprofile-config.properties} ({@code
 * mp.openapi.filter}, ordinal 50: an application that names a filter of its own overrides it).
 * Without MicroProfile OpenAPI, {@code META-INF/openapi/nimbus-auth.yaml} in the jar is the same as
 * a fragment to merge.
 *
 * <p>Where the document holds the key management API ({@link
 * com.nimbusos.auth.jaxrs.keys.KeyManagementResource}, found by its operation ids), the schemas and
 * responses its operations name are added too; where the application serves that API but the
 * server's scanner missed its inherited operations (Payara's), they are added at the paths {@link
 * com.nimbusos.auth.jaxrs.keys.KeyManagementPaths} noted.
 */
public class ApiKeyOpenApiFilter implements OASFilter {

  /** The security scheme's name in {@code components.securitySchemes}. */
  public static final String SCHEME = "ApiKey";

  /** The error schema's name in {@code components.schemas}. */
  public static final String ERROR_SCHEMA = "NimbusError";

  /** The key management API's operation ids, as its resource declares them. */
  static final java.util.Set<String> KEY_MANAGEMENT_OPERATIONS =
      java.util.Set.of(
          "listApiKeys",
          "createApiKey",
          "rotateApiKey",
          "revokeApiKey",
          "getApiKeyUsage",
          "disableApiKeyOwner",
          "enableApiKeyOwner");

  @Override
  public void filterOpenAPI(OpenAPI openAPI) {
    Components components = openAPI.getComponents();
    if (components == null) {
      components = OASFactory.createComponents();
      openAPI.setComponents(components);
    }
    components.addSecurityScheme(
        SCHEME,
        OASFactory.createSecurityScheme()
            .type(SecurityScheme.Type.APIKEY)
            .in(SecurityScheme.In.HEADER)
            .name(NimbusHeaders.API_KEY)
            .description(
                "The partner's API key, sk_test_… (sandbox) or sk_live_… (production). HTTPS only."));
    components.addSchema(ERROR_SCHEMA, errorSchema());
    components.addResponse("NimbusUnauthorized", response(AuthError.UNAUTHORIZED));
    components.addResponse("NimbusForbidden", response(AuthError.FORBIDDEN));
    if (openAPI.getSecurity() == null || openAPI.getSecurity().isEmpty()) {
      openAPI.addSecurityRequirement(OASFactory.createSecurityRequirement().addScheme(SCHEME));
    }
    for (String base : com.nimbusos.auth.jaxrs.keys.KeyManagementPaths.paths()) {
      KeyManagementSchemas.addOperations(openAPI, base);
    }
    boolean keyManagement = false;
    if (openAPI.getPaths() != null && openAPI.getPaths().getPathItems() != null) {
      for (PathItem item : openAPI.getPaths().getPathItems().values()) {
        for (Operation operation : item.getOperations().values()) {
          keyManagement |=
              operation.getOperationId() != null
                  && KEY_MANAGEMENT_OPERATIONS.contains(operation.getOperationId());
          APIResponses responses = operation.getResponses();
          if (responses == null) {
            responses = OASFactory.createAPIResponses();
            operation.setResponses(responses);
          }
          if (!responses.hasAPIResponse("401")) {
            responses.addAPIResponse(
                "401", OASFactory.createAPIResponse().ref("NimbusUnauthorized"));
          }
          if (!responses.hasAPIResponse("403")) {
            responses.addAPIResponse("403", OASFactory.createAPIResponse().ref("NimbusForbidden"));
          }
        }
      }
    }
    if (keyManagement) {
      KeyManagementSchemas.addTo(components);
    }
  }

  private static Schema errorSchema() {
    Schema text = OASFactory.createSchema().type(Schema.SchemaType.STRING);
    Schema detail =
        OASFactory.createSchema()
            .type(Schema.SchemaType.OBJECT)
            .properties(
                Map.of(
                    "code",
                        OASFactory.createSchema()
                            .type(Schema.SchemaType.STRING)
                            .example("unauthorized"),
                    "message",
                        OASFactory.createSchema()
                            .type(Schema.SchemaType.STRING)
                            .example("Invalid or missing API key"),
                    "requestId", text.example("req_abc123")))
            .required(List.of("code", "message", "requestId"));
    return OASFactory.createSchema()
        .type(Schema.SchemaType.OBJECT)
        .properties(Map.of("error", detail))
        .required(List.of("error"));
  }

  private static APIResponse response(AuthError error) {
    return OASFactory.createAPIResponse()
        .description(error.message())
        .content(
            OASFactory.createContent()
                .addMediaType(
                    "application/json",
                    OASFactory.createMediaType()
                        .schema(OASFactory.createSchema().ref(ERROR_SCHEMA))
                        .example(
                            Map.of(
                                "error",
                                Map.of(
                                    "code",
                                    error.code(),
                                    "message",
                                    error.message(),
                                    "requestId",
                                    "req_abc123")))));
  }
}
