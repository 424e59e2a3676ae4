package com.nimbusos.auth.jaxrs.openapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusos.auth.jaxrs.keys.KeyManagementPage;
import com.nimbusos.auth.jaxrs.keys.KeyManagementResource;
import io.smallrye.openapi.api.OpenApiConfig;
import io.smallrye.openapi.runtime.OpenApiProcessor;
import io.smallrye.openapi.runtime.io.Format;
import io.smallrye.openapi.runtime.io.OpenApiSerializer;
import jakarta.ws.rs.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.jboss.jandex.Index;
import org.junit.jupiter.api.Test;

/**
 * The key management API in the OpenAPI document, as a MicroProfile OpenAPI server builds it:
 * SmallRye's scanner reads the application's one-line subclass, then {@link ApiKeyOpenApiFilter}
 * runs. The jar's initializer notes paths for the whole JVM (one application's, in a server), so
 * the test without the API runs first.
 */
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
class KeyManagementOpenApiTest {

  /** SmallRye's defaults: no MicroProfile Config needed for the scan. */
  private static final OpenApiConfig DEFAULTS =
      new OpenApiConfig() {
        @Override
        public <R, T> T getConfigValue(
            String name,
            Class<R> type,
            java.util.function.Function<R, T> converter,
            java.util.function.Supplier<T> defaultValue) {
          return defaultValue.get();
        }

        @Override
        public <R, T> Map<String, T> getConfigValueMap(
            String prefix, Class<R> type, java.util.function.Function<R, T> converter) {
          return Map.of();
        }

        @Override
        public void setAllowNakedPathParameter(Boolean allow) {}
      };

  /** An application's opt-in, at its own base path. */
  @Path("partner/keys")
  public static class PartnerKeys extends KeyManagementResource {}

  @Test
  void documentsEveryOperationAtTheApplicationsBasePathWithResolvableReferences() throws Exception {
    OpenAPI api =
        OpenApiProcessor.modelFromAnnotations(
            DEFAULTS,
            getClass().getClassLoader(),
            Index.of(PartnerKeys.class, KeyManagementResource.class, KeyManagementPage.class));
    new ApiKeyOpenApiFilter().filterOpenAPI(api);
    assertDocumentsTheApi(api);
    Operation create = api.getPaths().getPathItem("/partner/keys").getPOST();
    assertTrue(create.getDescription().contains("in this response only"), create.getDescription());
  }

  /**
   * An application at the context root, as the servlet container shows it to the jar's initializer.
   */
  @jakarta.ws.rs.ApplicationPath("/")
  public static class PartnerApplication extends jakarta.ws.rs.core.Application {}

  @Test
  void documentsTheApiWhereTheServersScannerMissedItsInheritedOperations() throws Exception {
    new com.nimbusos.auth.jaxrs.keys.KeyManagementPaths()
        .onStartup(
            java.util.Set.of(
                PartnerKeys.class, PartnerApplication.class, KeyManagementResource.class),
            null);
    assertEquals(
        java.util.Set.of("/partner/keys"), com.nimbusos.auth.jaxrs.keys.KeyManagementPaths.paths());
    // What Payara's scanner made of the application: the class's tag, none of the operations it
    // inherits.
    OpenAPI api =
        org.eclipse.microprofile.openapi.OASFactory.createOpenAPI()
            .paths(org.eclipse.microprofile.openapi.OASFactory.createPaths());
    new ApiKeyOpenApiFilter().filterOpenAPI(api);
    assertDocumentsTheApi(api);
  }

  private static void assertDocumentsTheApi(OpenAPI api) throws Exception {
    Map<String, String> operations = new TreeMap<>();
    for (Map.Entry<String, PathItem> path : api.getPaths().getPathItems().entrySet()) {
      path.getValue()
          .getOperations()
          .forEach(
              (method, operation) ->
                  operations.put(method + " " + path.getKey(), operation.getOperationId()));
    }
    assertEquals(
        Map.of(
            "GET /partner/keys", "listApiKeys",
            "POST /partner/keys", "createApiKey",
            "POST /partner/keys/{keyId}/rotate", "rotateApiKey",
            "POST /partner/keys/{keyId}/revoke", "revokeApiKey",
            "GET /partner/keys/{keyId}/usage", "getApiKeyUsage",
            "POST /partner/keys/owners/{owner}/disable", "disableApiKeyOwner",
            "POST /partner/keys/owners/{owner}/enable", "enableApiKeyOwner"),
        operations,
        "the page stays out of it");

    for (PathItem item : api.getPaths().getPathItems().values()) {
      for (Operation operation : item.getOperations().values()) {
        assertEquals(
            "#/components/responses/NimbusUnauthorized",
            operation.getResponses().getAPIResponse("401").getRef());
        assertEquals(
            "#/components/responses/NimbusForbidden",
            operation.getResponses().getAPIResponse("403").getRef());
      }
    }
    Operation create = api.getPaths().getPathItem("/partner/keys").getPOST();
    assertEquals(
        "#/components/schemas/NimbusCreatedKey",
        create
            .getResponses()
            .getAPIResponse("201")
            .getContent()
            .getMediaType("application/json")
            .getSchema()
            .getRef());

    var key = api.getComponents().getSchemas().get("NimbusKey").getProperties();
    assertTrue(key.containsKey("last4") && key.containsKey("sunset") && key.containsKey("state"));
    assertNull(key.get("hash"), "a key's hash is no part of the API");

    String document = OpenApiSerializer.serialize(api, Format.JSON);
    List<String> unresolved = new ArrayList<>();
    Matcher ref =
        Pattern.compile("\"\\$ref\" ?: ?\"#/components/(schemas|responses)/([A-Za-z]+)\"")
            .matcher(document);
    int refs = 0;
    while (ref.find()) {
      refs++;
      Map<String, ?> defined =
          ref.group(1).equals("schemas")
              ? api.getComponents().getSchemas()
              : api.getComponents().getResponses();
      if (!defined.containsKey(ref.group(2))) {
        unresolved.add(ref.group(0));
      }
    }
    assertTrue(refs > 10, "references found: " + refs);
    assertEquals(List.of(), unresolved);
  }

  @Test
  @org.junit.jupiter.api.Order(1)
  void addsNoKeyManagementSchemasToADocumentWithoutTheApi() {
    OpenAPI api = org.eclipse.microprofile.openapi.OASFactory.createOpenAPI();
    new ApiKeyOpenApiFilter().filterOpenAPI(api);
    assertFalse(api.getComponents().getSchemas().containsKey("NimbusKey"));
  }
}
