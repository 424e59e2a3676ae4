package com.nimbusos.auth.jaxrs.openapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smallrye.openapi.runtime.io.Format;
import io.smallrye.openapi.runtime.io.OpenApiParser;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.security.SecurityScheme;
import org.junit.jupiter.api.Test;

/** The OpenAPI document gains the X-API-Key scheme and the documented errors (SmallRye OpenAPI). */
class ApiKeyOpenApiFilterTest {

  @Test
  void addsTheApiKeySchemeTheErrorsAndTheRequirement() {
    OpenAPI api =
        OASFactory.createOpenAPI()
            .paths(
                OASFactory.createPaths()
                    .addPathItem(
                        "/orders",
                        OASFactory.createPathItem()
                            .GET(
                                OASFactory.createOperation()
                                    .responses(
                                        OASFactory.createAPIResponses()
                                            .addAPIResponse(
                                                "200",
                                                OASFactory.createAPIResponse()
                                                    .description("ok"))))));
    new ApiKeyOpenApiFilter().filterOpenAPI(api);

    SecurityScheme scheme = api.getComponents().getSecuritySchemes().get("ApiKey");
    assertEquals(SecurityScheme.Type.APIKEY, scheme.getType());
    assertEquals(SecurityScheme.In.HEADER, scheme.getIn());
    assertEquals("X-API-Key", scheme.getName());
    assertTrue(api.getSecurity().get(0).hasScheme("ApiKey"));
    var responses = api.getPaths().getPathItem("/orders").getGET().getResponses();
    assertEquals(
        "#/components/responses/NimbusUnauthorized", responses.getAPIResponse("401").getRef());
    assertEquals(
        "#/components/responses/NimbusForbidden", responses.getAPIResponse("403").getRef());
    assertEquals(
        "Invalid or missing API key",
        api.getComponents().getResponses().get("NimbusUnauthorized").getDescription());
    assertEquals(
        java.util.List.of("code", "message", "requestId"),
        api.getComponents()
            .getSchemas()
            .get("NimbusError")
            .getProperties()
            .get("error")
            .getRequired());
  }

  @Test
  void isEnabledByTheJarsOwnMicroProfileConfigAtALowOrdinal() throws IOException {
    Properties properties = new Properties();
    try (InputStream in =
        ApiKeyOpenApiFilter.class.getResourceAsStream("/META-INF/microprofile-config.properties")) {
      properties.load(in);
    }
    assertEquals(ApiKeyOpenApiFilter.class.getName(), properties.getProperty("mp.openapi.filter"));
    assertEquals("50", properties.getProperty("config_ordinal"));
  }

  @Test
  void shipsTheSameAsAStaticFragmentThatParses() throws IOException {
    try (InputStream in =
        ApiKeyOpenApiFilter.class.getResourceAsStream("/META-INF/openapi/nimbus-auth.yaml")) {
      String yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      OpenAPI fragment =
          OpenApiParser.parse(
              new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), Format.YAML, null);
      assertEquals(
          "X-API-Key", fragment.getComponents().getSecuritySchemes().get("ApiKey").getName());
      assertEquals(
          SecurityScheme.In.HEADER,
          fragment.getComponents().getSecuritySchemes().get("ApiKey").getIn());
      assertTrue(fragment.getComponents().getResponses().containsKey("NimbusForbidden"));
    }
  }
}
