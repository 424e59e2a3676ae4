package com.nimbusos.auth.filter;

import com.nimbusos.auth.api.engine.ErrorJson;
import com.nimbusos.auth.api.engine.ErrorResponse;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Writes an {@link ErrorResponse}, its body (if any) with JSON-B; one instance per filter,
 * thread-safe.
 */
final class ServletErrorWriter implements AutoCloseable {

  /**
   * Open while the writer is: {@link ErrorJson} renders each error once at start, but an error it
   * cannot fill in (a message or request id of another shape) is rendered by this binder when it
   * happens.
   */
  private final Jsonb jsonb = openJsonb();

  private final ErrorJson json = new ErrorJson(jsonb::toJson);

  /**
   * At most this much of a refused request's body is read before its response is completed (see
   * {@link #writeAndComplete}); beyond it the container deals with the rest, usually by closing the
   * connection.
   */
  static final int MAX_DRAINED_BYTES = 1 << 20;

  /** Writes the error and flushes it (the servlet filter, which then ends the chain). */
  void write(HttpServletResponse response, ErrorResponse error) throws IOException {
    byte[] body = prepare(response, error);
    response.getOutputStream().write(body);
    response.flushBuffer();
  }

  /**
   * Writes the error and completes the exchange (a Jakarta Security mechanism returning {@code
   * SEND_FAILURE}): the request's body is consumed, up to {@link #MAX_DRAINED_BYTES}, and the
   * output stream closed. Measured on WildFly and Payara: the container then sends our response as
   * it is. WildFly tries its own error page ({@code sendError}) for any exchange not finished with
   * a status of 400 or more: with the body left unread it logs "UT010019: Response already
   * commited" and a stack trace for each such refusal (the client still gets our JSON); flushing
   * without closing logs an error for every refusal.
   */
  void writeAndComplete(
      HttpServletRequest request, HttpServletResponse response, ErrorResponse error)
      throws IOException {
    byte[] body = prepare(response, error);
    ServletOutputStream out = response.getOutputStream();
    out.write(body);
    drain(request);
    out.close();
  }

  /**
   * The body as bytes (none for a preflight's 204), after resetting the buffer and setting status
   * and headers.
   */
  private byte[] prepare(HttpServletResponse response, ErrorResponse error) {
    byte[] body =
        error.body() == null
            ? new byte[0]
            : json.write(error.body()).getBytes(StandardCharsets.UTF_8);
    response.resetBuffer();
    response.setStatus(error.status());
    for (Map.Entry<String, String> header : error.headers().entrySet()) {
      response.setHeader(header.getKey(), header.getValue());
    }
    response.setContentLength(body.length);
    return body;
  }

  private static void drain(HttpServletRequest request) {
    try {
      ServletInputStream in = request.getInputStream();
      byte[] buffer = new byte[8192];
      long left = MAX_DRAINED_BYTES;
      int read;
      while (left > 0 && (read = in.read(buffer, 0, (int) Math.min(buffer.length, left))) >= 0) {
        left -= read;
      }
    } catch (IOException | IllegalStateException e) {
      // The client went away, or the application already read the body as characters: nothing to
      // drain.
      System.getLogger("com.nimbusos.auth")
          .log(System.Logger.Level.DEBUG, "not draining the request body: " + e);
    }
  }

  /** Releases the JSON-B binder; the filter calls it when it is taken out of service. */
  @Override
  public void close() {
    try {
      jsonb.close();
    } catch (Exception e) {
      System.getLogger("com.nimbusos.auth").log(System.Logger.Level.DEBUG, "closing JSON-B: " + e);
    }
  }

  private static Jsonb openJsonb() {
    try {
      return JsonbBuilder.create();
    } catch (RuntimeException e) {
      throw new IllegalStateException(
          "JSON-B cannot render the error bodies: " + e.getMessage(), e);
    }
  }
}
