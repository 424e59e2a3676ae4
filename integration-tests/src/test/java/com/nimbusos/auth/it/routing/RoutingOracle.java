package com.nimbusos.auth.it.routing;

import com.nimbusos.auth.contract.Reply;
import com.nimbusos.auth.it.routing.app.Probe;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * "One request, one verdict": the request Nimbus Auth decided (method, path, caller) is exactly the
 * request the application served, or it was refused. Judges one reply to a request sent to the
 * {@link com.nimbusos.auth.it.routing.app.ProbeResource probe}'s application, wherever it runs:
 *
 * <ul>
 *   <li>a refusal ({@value #REFUSALS_TEXT}) passes; when it is Nimbus's own (always for 401 and
 *       403, and for a 400 or 405 whose body is JSON) it carries exactly the documented body and
 *       {@code X-Request-Id};
 *   <li>anything else must be a 2xx from the probe (its echo headers present), and then: every
 *       audit event of its {@code X-Request-Id} (there must be one) is {@code allowed}, with the
 *       method (HEAD and GET alike) and path the probe echoed, and the key id the probe echoed,
 *       which is the id of the key sent (never none: the probe is protected); and the served method
 *       needs the scope its rule names: GET and HEAD {@code orders:read}, POST {@code
 *       orders:write}, and no other method may be served at all.
 * </ul>
 *
 * <p>Some targets a container answers itself before any filter runs ({@link #nothingRan}): suites
 * name them per container, and for those only "nothing ran" is required.
 */
public final class RoutingOracle {

  private static final String REFUSALS_TEXT =
      "400, 401, 403, 404, 405, 413, 414, 431, 501, 505, or no reply";

  /**
   * Refusals; 505 is how Payara's Grizzly answers a request line a raw TAB or space split in three.
   */
  static final Set<Integer> REFUSALS = Set.of(400, 401, 403, 404, 405, 413, 414, 431, 501, 505);

  /** Nimbus's refusals: code and message of the documented body, by status. */
  private static final Map<Integer, String[]> OURS =
      Map.of(
          400, new String[] {"bad_request", "Malformed request"},
          401, new String[] {"unauthorized", "Invalid or missing API key"},
          403, new String[] {"forbidden", "Insufficient permissions"},
          405, new String[] {"method_not_allowed", "Method not allowed"});

  private static final Pattern REQUEST_ID = Pattern.compile("req_[0-9a-f]{24}");
  private static final Pattern ERROR_BODY =
      Pattern.compile(
          "\\{\"error\":\\{\"code\":\"([a-z_]+)\",\"message\":\"([^\"]*)\",\"requestId\":\"(req_[0-9a-f]{24})\"}}");

  /** Where the oracle reads the audit events of one request. */
  @FunctionalInterface
  public interface AuditLookup {
    List<Audited> of(String requestId) throws IOException;
  }

  /** What was sent: the method and target as written (for messages), and the key. */
  public record Sent(String method, String target, ProbeKey key) {
    /**
     * Whether the reply can have no body: WildFly runs {@code head} as {@code HEAD}, and sends
     * none.
     */
    public boolean head() {
      return method.equalsIgnoreCase("HEAD");
    }
  }

  private RoutingOracle() {}

  /**
   * The oracle's complaints about one reply; empty when the reply keeps the invariant.
   *
   * @param reply the reply, or {@code null} when the server closed the connection without one
   */
  public static List<String> violations(Sent sent, Reply reply, AuditLookup audit)
      throws IOException {
    List<String> violations = new ArrayList<>();
    if (reply == null) {
      return violations;
    }
    int status = reply.status();
    if (REFUSALS.contains(status)) {
      checkRefusal(sent, reply, violations);
      return violations;
    }
    Optional<String> echoedMethod = reply.header(Probe.METHOD_HEADER).map(RoutingOracle::decode);
    Optional<String> echoedPath = reply.header(Probe.PATH_HEADER).map(RoutingOracle::decode);
    Optional<String> echoedKey = reply.header(Probe.KEY_HEADER).map(RoutingOracle::decode);
    if (status < 200 || status > 299) {
      violations.add(
          "status "
              + status
              + " is neither a refusal ("
              + REFUSALS_TEXT
              + ") nor the probe serving");
      return violations;
    }
    if (echoedMethod.isEmpty() || echoedPath.isEmpty() || echoedKey.isEmpty()) {
      violations.add(
          status
              + " without the probe's echo: something other than the probe answered with success");
      return violations;
    }
    String method = echoedMethod.get();
    String path = echoedPath.get();
    String keyId = echoedKey.get();
    String served = "served as " + method + " " + path + " to key " + keyId;

    if (!keyId.equals(sent.key().id() == null ? Probe.NO_KEY : sent.key().id())) {
      violations.add(
          served + ", but the key sent was " + sent.key() + " (id " + sent.key().id() + ")");
    }
    if (keyId.equals(Probe.NO_KEY)) {
      violations.add(
          served + ": the probe is protected, a caller without a key must never reach it");
    }
    switch (sameAsGet(method)) {
      case "GET" -> {
        if (!sent.key().hasScope("orders:read")) {
          violations.add(
              served
                  + ": GET and HEAD on /probe need orders:read, key "
                  + sent.key()
                  + " lacks it");
        }
      }
      case "POST" -> {
        if (!sent.key().hasScope("orders:write")) {
          violations.add(
              served + ": POST on /probe needs orders:write, key " + sent.key() + " lacks it");
        }
      }
      default ->
          violations.add(served + ": no scope rule covers " + method + ", it must never be served");
    }

    Optional<String> requestId = reply.header("X-Request-Id");
    if (requestId.isEmpty()) {
      violations.add(served + " without X-Request-Id: no decision of Nimbus is known for it");
      return violations;
    }
    List<Audited> events = audit.of(requestId.get());
    if (events.isEmpty()) {
      violations.add(
          served + ", but request " + requestId.get() + " left no audit event: served undecided");
    }
    for (Audited event : events) {
      List<String> differences = new ArrayList<>();
      if (!event.outcome().equals("allowed")) {
        differences.add("outcome " + event.outcome() + " (" + event.reason() + ")");
      }
      if (!sameAsGet(event.method()).equals(sameAsGet(method))) {
        differences.add("method " + event.method());
      }
      if (!event.path().equals(path)) {
        differences.add("path " + event.path());
      }
      String auditedKey = event.keyId() == null ? Probe.NO_KEY : event.keyId();
      if (!auditedKey.equals(keyId)) {
        differences.add("key " + auditedKey);
      }
      if (!differences.isEmpty()) {
        violations.add(
            served + ", but Nimbus decided " + String.join(", ", differences) + " (" + event + ")");
      }
    }
    return violations;
  }

  /**
   * Whether a reply shows that nothing of the application ran, Nimbus Auth included: not the probe
   * (no echo), and an error status, or an empty body that no Nimbus decision stamped with {@code
   * X-Request-Id}. What a container answers for a target it fails to handle before any filter
   * (Undertow's 500 for an origin-less target, Grizzly's empty 200 for an undecodable one).
   */
  public static boolean nothingRan(Reply reply) {
    if (reply == null) {
      return true;
    }
    boolean echoed = reply.header(Probe.METHOD_HEADER).isPresent();
    boolean stamped = reply.header("X-Request-Id").isPresent();
    return !echoed && (reply.status() >= 400 || reply.body().isEmpty() && !stamped);
  }

  private static void checkRefusal(Sent sent, Reply reply, List<String> violations) {
    int status = reply.status();
    String[] ours = OURS.get(status);
    boolean looksOurs = !sent.head() && reply.body().startsWith("{\"error\"");
    boolean mustBeOurs = status == 401 || status == 403;
    if (ours == null || !(mustBeOurs || looksOurs)) {
      return;
    }
    Optional<String> requestId = reply.header("X-Request-Id");
    if (requestId.isEmpty() || !REQUEST_ID.matcher(requestId.get()).matches()) {
      violations.add(status + " without a valid X-Request-Id: " + reply);
    }
    if (sent.head()) {
      return;
    }
    Matcher body = ERROR_BODY.matcher(reply.body());
    if (!body.matches()
        || !body.group(1).equals(ours[0])
        || !body.group(2).equals(ours[1])
        || requestId.isPresent() && !body.group(3).equals(requestId.get())) {
      violations.add(
          status
              + " whose body is not exactly the documented {\"error\":{\"code\":\""
              + ours[0]
              + "\",\"message\":\""
              + ours[1]
              + "\",\"requestId\":<X-Request-Id>}}: "
              + reply);
    }
  }

  /** HEAD is governed by GET's rules, and a JAX-RS runtime may run a HEAD as the GET method. */
  private static String sameAsGet(String method) {
    return method.equals("HEAD") ? "GET" : method;
  }

  private static String decode(String value) {
    return URLDecoder.decode(value, StandardCharsets.UTF_8);
  }
}
