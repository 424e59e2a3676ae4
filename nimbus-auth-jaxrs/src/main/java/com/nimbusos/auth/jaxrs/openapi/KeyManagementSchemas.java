package com.nimbusos.auth.jaxrs.openapi;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.models.Components;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.parameters.Parameter;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;

/**
 * The schemas and responses the key management API's operations name: what its JSON holds, field by
 * field, so that the document says, for one, that a listed key carries its last four characters and
 * never a hash.
 */
final class KeyManagementSchemas {

  private KeyManagementSchemas() {}

  static void addTo(Components components) {
    components.addSchema(
        "NimbusKey",
        object(
            List.of("id", "owner", "environment", "scopes", "last4", "createdAt", "state"),
            entry("id", text("The key's public id", "key_3f2a9c1d5e7b8a60")),
            entry("owner", text("The partner the key belongs to", "acme-health")),
            entry("environment", environment()),
            entry("scopes", strings("What the key may do")),
            entry(
                "last4",
                text(
                    "The key's last four characters; the key itself is never shown again", "wxyz")),
            entry("createdAt", time("When it was created")),
            entry(
                "lastUsedAt", time("When it last authenticated a request (approximate), or null")),
            entry("expiresAt", time("When it stops working, or null")),
            entry("revokedAt", time("When it was revoked, or null")),
            entry(
                "state",
                OASFactory.createSchema()
                    .type(Schema.SchemaType.STRING)
                    .enumeration(
                        List.<Object>of("active", "rotating", "disabled", "expired", "revoked"))
                    .description(
                        "rotating: a newer key replaces it, and it answers with Sunset until it expires")),
            entry(
                "sunset",
                time(
                    "When a key that will expire stops working, as its Sunset header says, or null")),
            entry(
                "successor",
                text("The key replacing a rotating one, or null", "key_8b1e0f2c3d4a5b69"))));
    components.addSchema(
        "NimbusKeyList",
        object(
            List.of("caller", "keys"),
            entry(
                "caller",
                object(
                    List.of("keyId", "owner", "environment", "scopes", "operator"),
                    entry("keyId", text("The calling key", "key_3f2a9c1d5e7b8a60")),
                    entry("owner", text("Its owner", "acme-health")),
                    entry("environment", environment()),
                    entry("scopes", strings("Its scopes")),
                    entry(
                        "operator",
                        OASFactory.createSchema()
                            .type(Schema.SchemaType.BOOLEAN)
                            .description("Whether it holds nimbus:admin")),
                    entry(
                        "grantableScopes",
                        strings(
                            "Scopes it may put on keys it creates; null for operators, who may grant any but nimbus:admin")))),
            entry(
                "keys",
                OASFactory.createSchema().type(Schema.SchemaType.ARRAY).items(ref("NimbusKey")))));
    components.addSchema(
        "NimbusKeyCreation",
        object(
            List.of("scopes"),
            entry(
                "scopes",
                strings(
                    "Scopes the caller holds itself (keys:manage and nimbus:admin are never granted by keys:manage)")),
            entry("environment", environment()),
            entry("expiresAt", time("Optional; never later than the calling key's own expiry")),
            entry(
                "owner",
                text(
                    "Operators only: the partner; others create for their own owner",
                    "acme-health"))));
    components.addSchema(
        "NimbusKeyRotation",
        object(
            List.of(),
            entry(
                "graceHours",
                OASFactory.createSchema()
                    .type(Schema.SchemaType.INTEGER)
                    .minimum(java.math.BigDecimal.ZERO)
                    .maximum(java.math.BigDecimal.valueOf(720))
                    .defaultValue(24)
                    .description("How long the old key works on, answering with Sunset"))));
    components.addSchema(
        "NimbusCreatedKey",
        object(
            List.of("key", "notice", "record"),
            entry(
                "key",
                text(
                    "The key in clear: in this response only, never retrievable again",
                    "sk_test_…")),
            entry(
                "notice",
                text(
                    "Reminds the caller to store it now",
                    "Store this key now: it is not shown again, and cannot be retrieved.")),
            entry("record", ref("NimbusKey")),
            entry(
                "replaces", text("For a rotation: the key it replaces", "key_3f2a9c1d5e7b8a60"))));
    Schema hourly =
        OASFactory.createSchema()
            .type(Schema.SchemaType.ARRAY)
            .items(OASFactory.createSchema().type(Schema.SchemaType.INTEGER));
    components.addSchema(
        "NimbusKeyUsage",
        object(
            List.of("keyId", "firstHour", "hours", "requests", "refusals", "newNetworks", "totals"),
            entry("keyId", text("The key", "key_3f2a9c1d5e7b8a60")),
            entry("firstHour", time("The start of the first hour")),
            entry("hours", OASFactory.createSchema().type(Schema.SchemaType.INTEGER)),
            entry(
                "requests",
                hourly.description("Requests the key was let through for, per hour, oldest first")),
            entry(
                "refusals",
                OASFactory.createSchema()
                    .type(Schema.SchemaType.ARRAY)
                    .items(OASFactory.createSchema().type(Schema.SchemaType.INTEGER))
                    .description("Requests of the key refused, per hour")),
            entry(
                "newNetworks",
                OASFactory.createSchema()
                    .type(Schema.SchemaType.ARRAY)
                    .items(OASFactory.createSchema().type(Schema.SchemaType.INTEGER))
                    .description("First uses from a new client network, per hour")),
            entry("totals", OASFactory.createSchema().type(Schema.SchemaType.OBJECT)),
            entry(
                "recentNewNetworks",
                OASFactory.createSchema()
                    .type(Schema.SchemaType.ARRAY)
                    .items(
                        OASFactory.createSchema()
                            .type(Schema.SchemaType.OBJECT)
                            .properties(
                                Map.of(
                                    "time",
                                    time("When"),
                                    "clientAddress",
                                    text("The client's address then", "203.0.113.5")))))));
    components.addResponse(
        "NimbusBadRequest",
        error("bad_request", "The request is malformed; the message names the field at fault"));
    components.addResponse(
        "NimbusNotFound", error("not_found", "No such key, or none the calling key may reach"));
    components.addResponse(
        "NimbusConflict",
        error("conflict", "The key's state forbids it (say, rotating a key already rotating)"));
  }

  /**
   * Documents the API at {@code base} where the scanner did not (Payara's does not follow inherited
   * resource methods): each operation missing, or found without its operation id, is set to the one
   * the resource's annotations declare.
   */
  static void addOperations(org.eclipse.microprofile.openapi.models.OpenAPI api, String base) {
    if (api.getPaths() == null) {
      api.setPaths(OASFactory.createPaths());
    }
    operation(
        api,
        base,
        PathItem.HttpMethod.GET,
        "listApiKeys",
        "List the keys the calling key may manage",
        "Never shows a key's secret or hash: only its last four characters.",
        null,
        null,
        "200",
        "NimbusKeyList");
    operation(
        api,
        base,
        PathItem.HttpMethod.POST,
        "createApiKey",
        "Create a key",
        "The key's secret is in this response only (Cache-Control: no-store): copy it now.",
        null,
        "NimbusKeyCreation",
        "201",
        "NimbusCreatedKey");
    operation(
        api,
        base + "/{keyId}/rotate",
        PathItem.HttpMethod.POST,
        "rotateApiKey",
        "Rotate a key",
        "A new key with the same owner, environment, scopes and expiry; the old key works on until the grace "
            + "period ends (never past its own expiry), and its responses carry Sunset.",
        "keyId",
        "NimbusKeyRotation",
        "201",
        "NimbusCreatedKey");
    operation(
        api,
        base + "/{keyId}/revoke",
        PathItem.HttpMethod.POST,
        "revokeApiKey",
        "Revoke a key",
        "The key stops working at once.",
        "keyId",
        null,
        "200",
        "NimbusKey");
    operation(
        api,
        base + "/{keyId}/usage",
        PathItem.HttpMethod.GET,
        "getApiKeyUsage",
        "A key's requests, refusals and new networks per hour",
        null,
        "keyId",
        null,
        "200",
        "NimbusKeyUsage");
    operation(
        api,
        base + "/owners/{owner}/disable",
        PathItem.HttpMethod.POST,
        "disableApiKeyOwner",
        "Disable every key of a partner (operators)",
        null,
        "owner",
        null,
        "200",
        null);
    operation(
        api,
        base + "/owners/{owner}/enable",
        PathItem.HttpMethod.POST,
        "enableApiKeyOwner",
        "Re-enable a partner's keys (operators)",
        null,
        "owner",
        null,
        "200",
        null);
  }

  private static void operation(
      org.eclipse.microprofile.openapi.models.OpenAPI api,
      String path,
      PathItem.HttpMethod method,
      String id,
      String summary,
      String description,
      String pathParameter,
      String requestSchema,
      String status,
      String responseSchema) {
    PathItem item = api.getPaths().getPathItem(path);
    if (item == null) {
      item = OASFactory.createPathItem();
      api.getPaths().addPathItem(path, item);
    }
    org.eclipse.microprofile.openapi.models.Operation existing = item.getOperations().get(method);
    if (existing != null && existing.getOperationId() != null) {
      return;
    }
    APIResponse success = OASFactory.createAPIResponse().description(summary);
    if (responseSchema != null) {
      success.content(
          OASFactory.createContent()
              .addMediaType(
                  "application/json", OASFactory.createMediaType().schema(ref(responseSchema))));
    }
    org.eclipse.microprofile.openapi.models.Operation operation =
        OASFactory.createOperation()
            .operationId(id)
            .summary(summary)
            .description(description)
            .addTag("API keys")
            .responses(
                OASFactory.createAPIResponses()
                    .addAPIResponse(status, success)
                    .addAPIResponse("400", OASFactory.createAPIResponse().ref("NimbusBadRequest")));
    if (pathParameter != null) {
      operation.addParameter(
          OASFactory.createParameter()
              .name(pathParameter)
              .in(Parameter.In.PATH)
              .required(true)
              .schema(OASFactory.createSchema().type(Schema.SchemaType.STRING)));
      operation
          .getResponses()
          .addAPIResponse("404", OASFactory.createAPIResponse().ref("NimbusNotFound"));
    }
    if (id.equals("getApiKeyUsage")) {
      operation.addParameter(
          OASFactory.createParameter()
              .name("days")
              .in(Parameter.In.QUERY)
              .description("How many days back, 1 to 7")
              .schema(OASFactory.createSchema().type(Schema.SchemaType.INTEGER).defaultValue(7)));
    }
    if (id.equals("listApiKeys")) {
      operation.addParameter(
          OASFactory.createParameter()
              .name("owner")
              .in(Parameter.In.QUERY)
              .description("Operators: only this partner's keys")
              .schema(OASFactory.createSchema().type(Schema.SchemaType.STRING)));
    }
    if (id.equals("rotateApiKey")) {
      operation
          .getResponses()
          .addAPIResponse("409", OASFactory.createAPIResponse().ref("NimbusConflict"));
    }
    if (requestSchema != null) {
      operation.requestBody(
          OASFactory.createRequestBody()
              .required(!id.equals("rotateApiKey"))
              .content(
                  OASFactory.createContent()
                      .addMediaType(
                          "application/json",
                          OASFactory.createMediaType().schema(ref(requestSchema)))));
    }
    item.setOperation(method, operation);
  }

  private static Map.Entry<String, Schema> entry(String name, Schema schema) {
    return Map.entry(name, schema);
  }

  @SafeVarargs
  private static Schema object(List<String> required, Map.Entry<String, Schema>... properties) {
    Map<String, Schema> ordered = new LinkedHashMap<>();
    for (Map.Entry<String, Schema> property : properties) {
      ordered.put(property.getKey(), property.getValue());
    }
    Schema schema = OASFactory.createSchema().type(Schema.SchemaType.OBJECT).properties(ordered);
    return required.isEmpty() ? schema : schema.required(required);
  }

  private static Schema text(String description, String example) {
    return OASFactory.createSchema()
        .type(Schema.SchemaType.STRING)
        .description(description)
        .example(example);
  }

  private static Schema time(String description) {
    return OASFactory.createSchema()
        .type(Schema.SchemaType.STRING)
        .format("date-time")
        .description(description);
  }

  private static Schema strings(String description) {
    return OASFactory.createSchema()
        .type(Schema.SchemaType.ARRAY)
        .items(OASFactory.createSchema().type(Schema.SchemaType.STRING))
        .description(description);
  }

  private static Schema environment() {
    return OASFactory.createSchema()
        .type(Schema.SchemaType.STRING)
        .enumeration(List.<Object>of("sandbox", "production"));
  }

  private static Schema ref(String name) {
    return OASFactory.createSchema().ref(name);
  }

  private static APIResponse error(String code, String description) {
    return OASFactory.createAPIResponse()
        .description(description + " (error.code " + code + ")")
        .content(
            OASFactory.createContent()
                .addMediaType(
                    "application/json",
                    OASFactory.createMediaType()
                        .schema(OASFactory.createSchema().ref(ApiKeyOpenApiFilter.ERROR_SCHEMA))));
  }
}
