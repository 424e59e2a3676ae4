package com.nimbusos.auth.jaxrs.keys;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * The "API Keys" page, {@code GET {api}/page}, and its script and style: no key needed, for a
 * browser cannot send one when it loads a page. Served from the jar's {@code
 * META-INF/resources/nimbus-auth/api-keys/}, where servlet containers also serve it as static
 * content, under a Content Security Policy that admits only the page's own script, style and calls.
 * Reached through {@link KeyManagementResource#page()}; no part of the OpenAPI document, which
 * describes the API.
 */
@PermitAll
public final class KeyManagementPage {

  /** Where the page's files are in the jar. */
  static final String PAGE_RESOURCES = "META-INF/resources/nimbus-auth/api-keys/";

  /**
   * The page's policy: its own script and style only, calls to its own origin only, never framed.
   */
  static final String CONTENT_SECURITY_POLICY =
      "default-src 'none'; script-src 'self'; style-src 'self'; "
          + "img-src 'self'; connect-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'";

  private static final Map<String, String> FILES =
      Map.of(
          "index.html", "text/html; charset=UTF-8",
          "api-keys.js", "text/javascript; charset=UTF-8",
          "api-keys.css", "text/css; charset=UTF-8");

  private final String api;

  KeyManagementPage(String api) {
    this.api = api;
  }

  /**
   * The page.
   *
   * @return the page, told where its API is
   */
  @GET
  @Operation(hidden = true)
  public Response index() {
    return file("index.html");
  }

  /**
   * One of the page's files: {@code index.html}, {@code api-keys.js} or {@code api-keys.css}.
   *
   * @param name the file's name
   * @return the file, or {@code 404}
   */
  @GET
  @Path("{file}")
  @Operation(hidden = true)
  public Response file(@PathParam("file") String name) {
    String type = FILES.get(name);
    byte[] content = type == null ? null : read(name);
    if (content == null) {
      return Response.status(404).header("Cache-Control", "no-store").build();
    }
    if (name.equals("index.html")) {
      content =
          withApiAddress(new String(content, StandardCharsets.UTF_8))
              .getBytes(StandardCharsets.UTF_8);
    }
    return Response.ok(content)
        .header("Content-Type", type)
        .header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        .header("X-Content-Type-Options", "nosniff")
        .header("Referrer-Policy", "no-referrer")
        .header("X-Frame-Options", "DENY")
        .header("Cache-Control", "no-cache")
        .build();
  }

  private static byte[] read(String name) {
    try (InputStream in =
        KeyManagementPage.class.getClassLoader().getResourceAsStream(PAGE_RESOURCES + name)) {
      return in == null ? null : in.readAllBytes();
    } catch (IOException e) {
      return null;
    }
  }

  /**
   * The page as served from the API: its API and files at absolute paths, whatever URL loaded it
   * (with or without a trailing slash). As static content it finds the API relative to itself
   * instead.
   */
  private String withApiAddress(String html) {
    return html.replace("data-api=\"../../api-keys\"", "data-api=\"" + api + "\"")
        .replace("href=\"api-keys.css\"", "href=\"" + api + "/page/api-keys.css\"")
        .replace("src=\"api-keys.js\"", "src=\"" + api + "/page/api-keys.js\"");
  }
}
