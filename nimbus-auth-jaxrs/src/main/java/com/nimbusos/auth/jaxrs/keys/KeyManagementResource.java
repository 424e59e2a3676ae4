package com.nimbusos.auth.jaxrs.keys;

import com.nimbusos.auth.api.ApiKeyPrincipal;
import com.nimbusos.auth.api.Environment;
import com.nimbusos.auth.api.config.ConfigurationException;
import com.nimbusos.auth.api.engine.Decision;
import com.nimbusos.auth.api.engine.RequestAttributes;
import com.nimbusos.auth.api.internal.Json;
import com.nimbusos.auth.api.keys.CreatedKey;
import com.nimbusos.auth.api.keys.KeyRecord;
import jakarta.annotation.security.RolesAllowed;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotAuthorizedException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Configuration;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The key management API and its "API Keys" page, off until the application opts in with one class
 * whose {@code @Path} is the API's base path:
 *
 * <pre>{@code
 * @Path("api-keys")
 * public class ApiKeys extends KeyManagementResource {}
 * }</pre>
 *
 * <p>This class has no {@code @Path} of its own, so that having the jar in {@code WEB-INF/lib}
 * publishes nothing. The subclass built without arguments manages the store the configuration names
 * ({@link KeyManagement#fromConfiguration}), read where the adapters read it (the Nimbus filter's
 * init-params included); one that calls {@link #KeyManagementResource(KeyManagement)} manages the
 * one it is given. The calling key is the one the Nimbus adapters accepted for the request (the
 * JAX-RS feature, or the servlet filter in front), so the API needs a servlet container; who may do
 * what is {@link KeyManagement}'s to decide.
 *
 * <table>
 *   <caption>Operations, relative to the base path</caption>
 *   <tr><th>request</th><th>does</th></tr>
 *   <tr><td>{@code GET /}</td><td>the caller and the keys it reaches</td></tr>
 *   <tr><td>{@code POST /}</td><td>creates a key; its secret is in this response only</td></tr>
 *   <tr><td>{@code POST /{keyId}/rotate}</td><td>a new key; the old one works on for the grace period</td></tr>
 *   <tr><td>{@code POST /{keyId}/revoke}</td><td>refused from the next request on</td></tr>
 *   <tr><td>{@code GET /{keyId}/usage}</td><td>requests, refusals and new networks per hour</td></tr>
 *   <tr><td>{@code POST /owners/{owner}/disable}, {@code …/enable}</td><td>every key of a partner (operators)</td></tr>
 *   <tr><td>{@code GET /page/}</td><td>the "API Keys" page, no key needed</td></tr>
 * </table>
 *
 * <p>Every answer is JSON with {@code Cache-Control: no-store}; errors have the documented shape
 * ({@code {"error":{"code":…,"message":…,"requestId":…}}}).
 */
@Tag(
    name = "API keys",
    description = "Self-service key management: the developer portal's API Keys")
public class KeyManagementResource {

  private static final int MAX_BODY = 16 * 1024;
  private static final int MAX_GRACE_HOURS = 30 * 24;
  private static final String NO_STORE = "no-store";
  private static final String SECRET_NOTICE =
      "Store this key now: it is not shown again, and cannot be retrieved.";

  private final KeyManagement given;

  @Context private HttpServletRequest servletRequest;
  @Context private UriInfo uriInfo;
  @Context private Configuration configuration;

  /** Manages the store the application's {@code nimbus.auth.*} configuration names. */
  public KeyManagementResource() {
    this(null);
  }

  /**
   * Manages what {@code management} manages.
   *
   * @param management the service, or {@code null} to build it from configuration
   */
  protected KeyManagementResource(KeyManagement management) {
    this.given = management;
  }

  /**
   * The caller and the keys it reaches, newest first.
   *
   * @param owner for operators: only this partner's keys
   * @return {@code 200} with {@code caller} and {@code keys}
   */
  @GET
  @Produces(MediaType.APPLICATION_JSON)
  @RolesAllowed({KeyManagement.MANAGE_SCOPE, KeyManagement.OPERATOR_SCOPE})
  @Operation(
      operationId = "listApiKeys",
      summary = "List the keys the calling key may manage",
      description = "Never shows a key's secret or hash: only its last four characters.")
  @APIResponse(
      responseCode = "200",
      description = "The caller and its keys",
      content =
          @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "NimbusKeyList")))
  public Response list(
      @Parameter(description = "Operators: only this partner's keys") @QueryParam("owner")
          String owner) {
    return answer(
        actor -> {
          KeyManagement management = management();
          List<Object> keys = new ArrayList<>();
          for (KeyManagement.KeyView view : management.list(actor, owner)) {
            keys.add(key(view.record(), view.state(), view.sunset(), view.successor()));
          }
          Map<String, Object> caller = new LinkedHashMap<>();
          ApiKeyPrincipal key = actor.key();
          caller.put("keyId", key.keyId());
          caller.put("owner", key.owner());
          caller.put("environment", key.environment().configName());
          caller.put("scopes", new ArrayList<>(new TreeSet<>(key.scopes())));
          caller.put("operator", actor.isOperator());
          Set<String> grantable = management.grantableScopes(actor);
          caller.put("grantableScopes", grantable == null ? null : new ArrayList<>(grantable));
          Map<String, Object> body = new LinkedHashMap<>();
          body.put("caller", caller);
          body.put("keys", keys);
          return json(200, body);
        });
  }

  /**
   * Creates a key. Body: {@code {"scopes":["orders:read"], "environment":"sandbox",
   * "expiresAt":"…", "owner":"…"}}; only {@code scopes} is required.
   *
   * @param body the JSON request
   * @return {@code 201} with the key in clear, this once
   */
  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @Produces(MediaType.APPLICATION_JSON)
  @RolesAllowed({KeyManagement.MANAGE_SCOPE, KeyManagement.OPERATOR_SCOPE})
  @Operation(
      operationId = "createApiKey",
      summary = "Create a key",
      description =
          "The key's secret is in this response only (Cache-Control: no-store): copy it now.")
  @RequestBody(
      required = true,
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(ref = "NimbusKeyCreation")))
  @APIResponse(
      responseCode = "201",
      description = "The new key, with its secret shown this once",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(ref = "NimbusCreatedKey")))
  @APIResponse(responseCode = "400", ref = "NimbusBadRequest")
  public Response create(String body) {
    return answer(
        actor -> {
          Map<String, Object> request =
              object(body, Set.of("scopes", "environment", "expiresAt", "owner"));
          Set<String> scopes = strings(request.get("scopes"), "scopes");
          String environment = text(request.get("environment"), "environment");
          String expiresAt = text(request.get("expiresAt"), "expiresAt");
          CreatedKey created =
              management()
                  .create(
                      actor,
                      text(request.get("owner"), "owner"),
                      environment == null ? null : environment(environment),
                      scopes,
                      expiresAt == null ? null : instant(expiresAt));
          return created(created, null);
        });
  }

  /**
   * Rotates a key. Body, optional: {@code {"graceHours": 24}} (0 to 720; default 24), how long the
   * old key works on, answering with {@code Sunset}.
   *
   * @param keyId the key to replace
   * @param body the JSON request, or empty
   * @return {@code 201} with the new key in clear, this once
   */
  @POST
  @Path("{keyId}/rotate")
  @Produces(MediaType.APPLICATION_JSON)
  @RolesAllowed({KeyManagement.MANAGE_SCOPE, KeyManagement.OPERATOR_SCOPE})
  @Operation(
      operationId = "rotateApiKey",
      summary = "Rotate a key",
      description =
          "A new key with the same owner, environment, scopes and expiry; the old key works on "
              + "until the grace period ends (never past its own expiry), and its responses carry Sunset.")
  @RequestBody(
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(ref = "NimbusKeyRotation")))
  @APIResponse(
      responseCode = "201",
      description = "The new key, with its secret shown this once",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(ref = "NimbusCreatedKey")))
  @APIResponse(responseCode = "404", ref = "NimbusNotFound")
  @APIResponse(responseCode = "409", ref = "NimbusConflict")
  public Response rotate(@PathParam("keyId") String keyId, String body) {
    return answer(
        actor -> {
          Map<String, Object> request =
              body == null || body.isBlank() ? Map.of() : object(body, Set.of("graceHours"));
          long hours = 24;
          if (request.get("graceHours") != null) {
            if (!(request.get("graceHours") instanceof Long value)
                || value < 0
                || value > MAX_GRACE_HOURS) {
              throw ManagementException.badRequest(
                  "graceHours: a whole number of hours, 0 to " + MAX_GRACE_HOURS);
            }
            hours = value;
          }
          CreatedKey created = management().rotate(actor, keyId, Duration.ofHours(hours));
          return created(created, keyId);
        });
  }

  /**
   * Revokes a key: refused from the caller's next request on.
   *
   * @param keyId the key
   * @return {@code 200} with the key, revoked
   */
  @POST
  @Path("{keyId}/revoke")
  @Produces(MediaType.APPLICATION_JSON)
  @RolesAllowed({KeyManagement.MANAGE_SCOPE, KeyManagement.OPERATOR_SCOPE})
  @Operation(
      operationId = "revokeApiKey",
      summary = "Revoke a key",
      description = "The key stops working at once.")
  @APIResponse(
      responseCode = "200",
      description = "The key, revoked",
      content =
          @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "NimbusKey")))
  @APIResponse(responseCode = "404", ref = "NimbusNotFound")
  public Response revoke(@PathParam("keyId") String keyId) {
    return answer(
        actor -> {
          KeyRecord revoked = management().revoke(actor, keyId);
          return json(200, key(revoked, "revoked", null, null));
        });
  }

  /**
   * A key's usage per hour, as the audit trail counted it since the application started.
   *
   * @param keyId the key
   * @param days how many days back, 1 to 7 (default 7)
   * @return {@code 200} with hourly series
   */
  @GET
  @Path("{keyId}/usage")
  @Produces(MediaType.APPLICATION_JSON)
  @RolesAllowed({KeyManagement.MANAGE_SCOPE, KeyManagement.OPERATOR_SCOPE})
  @Operation(
      operationId = "getApiKeyUsage",
      summary = "A key's requests, refusals and new networks per hour")
  @APIResponse(
      responseCode = "200",
      description = "Hourly series, oldest hour first",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(ref = "NimbusKeyUsage")))
  @APIResponse(responseCode = "404", ref = "NimbusNotFound")
  public Response usage(
      @PathParam("keyId") String keyId,
      @Parameter(
              description = "How many days back, 1 to 7",
              schema = @Schema(type = SchemaType.INTEGER, defaultValue = "7"))
          @QueryParam("days")
          String days) {
    return answer(
        actor -> {
          int span = 7;
          if (days != null) {
            try {
              span = Integer.parseInt(days);
            } catch (NumberFormatException e) {
              span = 0;
            }
            if (span < 1 || span > KeyUsageHistory.DAYS) {
              throw ManagementException.badRequest("days: 1 to " + KeyUsageHistory.DAYS);
            }
          }
          KeyUsageHistory.Usage usage = management().usage(actor, keyId, span * 24);
          Map<String, Object> body = new LinkedHashMap<>();
          body.put("keyId", keyId);
          body.put("firstHour", usage.firstHour().toString());
          body.put("hours", (long) usage.hours());
          body.put("requests", series(usage.requests()));
          body.put("refusals", series(usage.refusals()));
          body.put("newNetworks", series(usage.newNetworks()));
          Map<String, Object> totals = new LinkedHashMap<>();
          totals.put("requests", KeyUsageHistory.Usage.total(usage.requests()));
          totals.put("refusals", KeyUsageHistory.Usage.total(usage.refusals()));
          totals.put("newNetworks", KeyUsageHistory.Usage.total(usage.newNetworks()));
          body.put("totals", totals);
          List<Object> recent = new ArrayList<>();
          for (KeyUsageHistory.NewNetwork network : usage.recentNewNetworks()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("time", network.time().toString());
            entry.put("clientAddress", network.clientAddress());
            recent.add(entry);
          }
          body.put("recentNewNetworks", recent);
          return json(200, body);
        });
  }

  /**
   * Disables every key of a partner at once (operators).
   *
   * @param owner the partner
   * @return {@code 200}
   */
  @POST
  @Path("owners/{owner}/disable")
  @Produces(MediaType.APPLICATION_JSON)
  @RolesAllowed(KeyManagement.OPERATOR_SCOPE)
  @Operation(
      operationId = "disableApiKeyOwner",
      summary = "Disable every key of a partner (operators)")
  @APIResponse(responseCode = "200", description = "The partner is disabled")
  public Response disableOwner(@PathParam("owner") String owner) {
    return owner(owner, true);
  }

  /**
   * Re-enables a partner's keys (operators).
   *
   * @param owner the partner
   * @return {@code 200}
   */
  @POST
  @Path("owners/{owner}/enable")
  @Produces(MediaType.APPLICATION_JSON)
  @RolesAllowed(KeyManagement.OPERATOR_SCOPE)
  @Operation(operationId = "enableApiKeyOwner", summary = "Re-enable a partner's keys (operators)")
  @APIResponse(responseCode = "200", description = "The partner is enabled")
  public Response enableOwner(@PathParam("owner") String owner) {
    return owner(owner, false);
  }

  /**
   * The "API Keys" page and its files, from a class of their own that is {@code @PermitAll} as a
   * whole: some runtimes' own {@code @RolesAllowed} checks (Payara's) read only the annotations of
   * the class that declares a resource method, never those it inherits.
   *
   * @return the page's resource, told where the API is
   */
  @Path("page")
  @Operation(hidden = true)
  public KeyManagementPage page() {
    String application = uriInfo.getBaseUri().getRawPath();
    return new KeyManagementPage(
        (application.endsWith("/")
                ? application.substring(0, application.length() - 1)
                : application)
            + base());
  }

  // --- plumbing
  // ----------------------------------------------------------------------------------------

  /** One management action: who asks, and what to answer, refusals included. */
  @FunctionalInterface
  private interface Action {
    Response run(KeyManagement.Actor actor) throws ManagementException;
  }

  private Response answer(Action action) {
    Decision decision = decision();
    if (!(decision instanceof Decision.Authenticated authenticated)) {
      // Only reachable without the Nimbus adapters in front; the feature's mapper writes the
      // documented 401.
      throw new NotAuthorizedException("ApiKey");
    }
    KeyManagement.Actor actor =
        new KeyManagement.Actor(
            authenticated.caller(),
            decision.requestId(),
            servletRequest.getMethod(),
            servletRequest.getRemoteAddr(),
            base());
    try {
      return action.run(actor);
    } catch (ManagementException e) {
      return error(e.kind().status, e.kind().code, e.getMessage(), decision.requestId());
    } catch (ConfigurationException e) {
      return error(
          503,
          "service_unavailable",
          "Key management is temporarily unavailable",
          decision.requestId());
    }
  }

  private Response owner(String owner, boolean disabled) {
    return answer(
        actor -> {
          management().setOwnerDisabled(actor, owner, disabled);
          Map<String, Object> body = new LinkedHashMap<>();
          body.put("owner", owner);
          body.put("disabled", disabled);
          return json(200, body);
        });
  }

  private KeyManagement management() {
    return given != null
        ? given
        : KeyManagements.forApplication(configuration, servletRequest.getServletContext());
  }

  /** The adapters' verdict on this request: the JAX-RS feature's, else the servlet filter's. */
  private Decision decision() {
    for (String name :
        new String[] {RequestAttributes.JAXRS_DECISION, RequestAttributes.DECISION}) {
      if (servletRequest.getAttribute(name) instanceof Decision decision && decision.allowed()) {
        return decision;
      }
    }
    return null;
  }

  /**
   * The API's own path relative to the application, {@code /api-keys}: where audit events name
   * targets.
   */
  private String base() {
    List<String> matched = uriInfo.getMatchedURIs();
    String resource = matched.isEmpty() ? "" : matched.get(matched.size() - 1);
    return "/" + resource.replaceAll("^/+|/+$", "");
  }

  private static Response created(CreatedKey created, String replaced) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("key", created.key());
    body.put("notice", SECRET_NOTICE);
    body.put("record", key(created.record(), "active", created.record().expiresAt(), null));
    if (replaced != null) {
      body.put("replaces", replaced);
    }
    return json(201, body);
  }

  private static Map<String, Object> key(
      KeyRecord record, String state, Instant sunset, String successor) {
    Map<String, Object> key = new LinkedHashMap<>();
    key.put("id", record.keyId());
    key.put("owner", record.owner());
    key.put("environment", record.environment().configName());
    key.put("scopes", new ArrayList<>(new TreeSet<>(record.scopes())));
    key.put("last4", record.last4());
    key.put("createdAt", time(record.createdAt()));
    key.put("lastUsedAt", time(record.lastUsedAt()));
    key.put("expiresAt", time(record.expiresAt()));
    key.put("revokedAt", time(record.revokedAt()));
    key.put("state", state);
    key.put("sunset", time(sunset));
    key.put("successor", successor);
    return key;
  }

  private static String time(Instant instant) {
    return instant == null ? null : instant.toString();
  }

  private static List<Object> series(int[] values) {
    List<Object> list = new ArrayList<>(values.length);
    for (int value : values) {
      list.add((long) value);
    }
    return list;
  }

  private static Response json(int status, Object body) {
    return Response.status(status)
        .entity(JsonText.write(body))
        .type(MediaType.APPLICATION_JSON_TYPE)
        .header("Cache-Control", NO_STORE)
        .header("Pragma", "no-cache")
        .build();
  }

  private static Response error(int status, String code, String message, String requestId) {
    Map<String, Object> detail = new LinkedHashMap<>();
    detail.put("code", code);
    detail.put("message", message);
    detail.put("requestId", requestId);
    return json(status, Map.of("error", detail));
  }

  // --- request bodies
  // --------------------------------------------------------------------------------

  @SuppressWarnings("unchecked")
  private static Map<String, Object> object(String body, Set<String> allowed)
      throws ManagementException {
    if (body == null || body.length() > MAX_BODY) {
      throw ManagementException.badRequest(
          "body: a JSON object of at most " + MAX_BODY + " characters");
    }
    Object parsed;
    try {
      parsed = Json.parse(body);
    } catch (IllegalArgumentException e) {
      throw ManagementException.badRequest("body: not JSON (" + e.getMessage() + ")");
    }
    if (!(parsed instanceof Map<?, ?> map)) {
      throw ManagementException.badRequest("body: a JSON object");
    }
    for (Object name : map.keySet()) {
      if (!allowed.contains(name)) {
        // Named only when it is a plain word: the message goes back into a JSON string and a
        // log-free page.
        String shown = String.valueOf(name).matches("[A-Za-z0-9_]{1,40}") ? " " + name : "";
        throw ManagementException.badRequest(
            "unknown field" + shown + "; known: " + new TreeSet<>(allowed));
      }
    }
    return (Map<String, Object>) map;
  }

  private static String text(Object value, String name) throws ManagementException {
    if (value == null || value instanceof String) {
      return (String) value;
    }
    throw ManagementException.badRequest(name + ": a string");
  }

  private static Set<String> strings(Object value, String name) throws ManagementException {
    if (!(value instanceof List<?> list)) {
      throw ManagementException.badRequest(name + ": an array of strings");
    }
    Set<String> strings = new LinkedHashSet<>();
    for (Object item : list) {
      if (!(item instanceof String text)) {
        throw ManagementException.badRequest(name + ": an array of strings");
      }
      strings.add(text);
    }
    return strings;
  }

  private static Environment environment(String value) throws ManagementException {
    try {
      return Environment.parse(value);
    } catch (IllegalArgumentException e) {
      throw ManagementException.badRequest("environment: sandbox or production");
    }
  }

  private static Instant instant(String value) throws ManagementException {
    try {
      return Instant.parse(value);
    } catch (DateTimeParseException e) {
      throw ManagementException.badRequest(
          "expiresAt: an ISO-8601 instant such as 2027-01-31T00:00:00Z");
    }
  }
}
