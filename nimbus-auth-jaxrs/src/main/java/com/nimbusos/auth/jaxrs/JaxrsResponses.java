package com.nimbusos.auth.jaxrs;

import com.nimbusos.auth.api.engine.ErrorBody;
import com.nimbusos.auth.api.engine.ErrorJson;
import com.nimbusos.auth.api.engine.ErrorResponse;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;

/**
 * Turns an {@link ErrorResponse} into a JAX-RS {@link Response}. The body is serialised here with
 * JSON-B (rendered once per error at start, see {@link ErrorJson}), not left to the application's
 * JSON provider, so it is byte-for-byte the documented one whichever provider (JSON-B, Jackson,
 * none) the application uses.
 */
final class JaxrsResponses {

  private static final ErrorJson JSON = bodiesRenderedWithJsonb();

  private JaxrsResponses() {}

  static Response of(ErrorResponse error) {
    Response.ResponseBuilder builder = Response.status(error.status());
    for (Map.Entry<String, String> header : error.headers().entrySet()) {
      builder.header(header.getKey(), header.getValue());
    }
    return error.body() == null
        ? builder.build()
        : builder.entity(json(error.body())).type(MediaType.APPLICATION_JSON_TYPE).build();
  }

  static String json(ErrorBody body) {
    return JSON.write(body);
  }

  /**
   * The binder stays open, for as long as this class is loaded (the application's deployment):
   * {@link ErrorJson} renders each error once at start, but one it cannot fill in (a message or
   * request id of another shape) is rendered by the binder when it happens.
   */
  private static ErrorJson bodiesRenderedWithJsonb() {
    try {
      Jsonb jsonb = JsonbBuilder.create();
      return new ErrorJson(jsonb::toJson);
    } catch (RuntimeException e) {
      throw new IllegalStateException(
          "JSON-B cannot render the error bodies: " + e.getMessage(), e);
    }
  }
}
