package com.nimbusos.auth.api.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.nimbusos.auth.api.ApiKeyPrincipal;
import com.nimbusos.auth.api.Environment;
import com.nimbusos.auth.api.InvalidReason;
import com.nimbusos.auth.api.PresentedKey;
import com.nimbusos.auth.api.ValidationResult;
import com.nimbusos.auth.api.audit.AuditEvent;
import com.nimbusos.auth.api.config.NimbusAuthConfig;
import com.nimbusos.auth.api.engine.AuthRequest;
import com.nimbusos.auth.api.engine.AuthenticationEngine;
import com.nimbusos.auth.api.engine.Decision;
import com.nimbusos.auth.api.keys.ApiKeyFormat;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Fuzzes what hostile clients control: the {@code X-API-Key} header values (how many, what bytes),
 * the path and the method, through the whole engine; and the key format parser. The normal test run
 * replays the checked-in inputs under {@code src/test/resources/.../KeyParsingFuzzTestInputs};
 * {@code JAZZER_FUZZ=1} fuzzes for real (see CONTRIBUTING.md).
 */
class KeyParsingFuzzTest {

  private static final String VALID = "sk_test_fuzzvalidkey000000000000000";
  private static final ApiKeyPrincipal PRINCIPAL =
      new ApiKeyPrincipal("k_fuzz", "fuzzer", Environment.SANDBOX, Set.of("orders:read"), null);

  private final List<AuditEvent> events = new ArrayList<>();
  private final AuthenticationEngine engine =
      new AuthenticationEngine(
          key ->
              key.value().equals(VALID)
                  ? ValidationResult.valid(PRINCIPAL)
                  : ValidationResult.invalid(InvalidReason.UNKNOWN),
          NimbusAuthConfig.builder()
              .anyEnvironment()
              .publicPaths("/health")
              .scopeRules("POST /orders/* = orders:write")
              .throttle(0, 60)
              .build(),
          events::add,
          Clock.systemUTC());

  @FuzzTest(maxDuration = "10s")
  void headerValuesNeverCrashTheEngineNorLeakIntoAnything(FuzzedDataProvider data) {
    int count = data.consumeInt(0, 3);
    List<String> values = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      values.add(
          switch (data.consumeInt(0, 2)) {
            case 0 -> VALID;
            case 1 -> "sk_test_" + data.consumeAsciiString(60);
            default -> data.consumeString(600);
          });
    }
    String method = data.pickValue(List.of("GET", "POST", "OPTIONS", "HEAD", "DELETE"));
    // The path is logged as is; keep key prefixes out of it so that any prefix in the output is a
    // leak. Half
    // the paths are plain, so that the keys get past the request firewall and reach the validator.
    String path =
        data.consumeBoolean() ? "/orders" : "/" + data.consumeString(100).replace("sk_", "s_k_");
    boolean secure = data.consumeBoolean();
    AuthRequest request =
        new AuthRequest() {
          @Override
          public String method() {
            return method;
          }

          @Override
          public String path() {
            return path;
          }

          @Override
          public String rawPath() {
            return path;
          }

          @Override
          public String basePath() {
            return "";
          }

          @Override
          public List<String> headerValues(String name) {
            return name.equals("X-API-Key") ? values : List.of();
          }

          @Override
          public boolean isSecure() {
            return secure;
          }
        };
    events.clear();
    Decision decision = engine.decideAndRecord(request);
    assertEquals(1, events.size(), "exactly one audit event per decision");
    boolean onlyTheValidKey = values.size() == 1 && values.get(0).strip().equals(VALID);
    if (decision.allowed() && decision.principal().isPresent()) {
      assertTrue(onlyTheValidKey, "only the valid key, alone, authenticates");
    }
    String everything =
        events.get(0).toJson()
            + events.get(0)
            + decision
            + (decision instanceof Decision.Denied denied
                ? engine.errorResponse(denied).toString()
                : "");
    assertFalse(
        everything.contains("sk_test_") || everything.contains("sk_live_"),
        "a key leaked: " + everything);
  }

  @FuzzTest(maxDuration = "10s")
  void keyFormatAcceptsOnlyWellFormedKeys(FuzzedDataProvider data) {
    String candidate = data.consumeRemainingAsString();
    Optional<Environment> environment = ApiKeyFormat.environmentIfChecksumValid(candidate);
    if (environment.isPresent()) {
      assertEquals(ApiKeyFormat.KEY_LENGTH, candidate.length());
      assertTrue(candidate.startsWith(environment.get().keyPrefix()));
      assertTrue(candidate.substring(8).chars().allMatch(Character::isLetterOrDigit));
    }
    if (!candidate.isEmpty()) {
      String redacted = PresentedKey.of(candidate).toString();
      assertTrue(
          redacted.length() <= 13,
          "redaction shows at most prefix and last four: " + redacted.length());
    }
  }
}
