package com.nimbusos.auth.filter;

import com.nimbusos.auth.api.engine.ErrorResponse;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Writes an {@link ErrorResponse} with JSON-B; one instance per filter, thread-safe. */
final class ServletErrorWriter implements AutoCloseable {

  private final Jsonb jsonb = JsonbBuilder.create();

  void write(HttpServletResponse response, ErrorResponse error) throws IOException {
    byte[] body = jsonb.toJson(error.body()).getBytes(StandardCharsets.UTF_8);
    response.resetBuffer();
    response.setStatus(error.status());
    for (Map.Entry<String, String> header : error.headers().entrySet()) {
      response.setHeader(header.getKey(), header.getValue());
    }
    response.setContentLength(body.length);
    response.getOutputStream().write(body);
    response.flushBuffer();
  }

  @Override
  public void close() {
    try {
      jsonb.close();
    } catch (Exception e) {
      System.getLogger("com.nimbusos.auth").log(System.Logger.Level.DEBUG, "closing JSON-B failed", e);
    }
  }
}
