package com.nimbusos.auth.api;

/**
 * Decides whether a presented API key is valid. This is the one extension point of Nimbus Auth:
 * plug in your own key store by implementing it.
 *
 * <p>Every call has exactly one of three outcomes:
 *
 * <ol>
 *   <li><b>valid</b>: return {@link ValidationResult#valid(ApiKeyPrincipal)}; the request proceeds
 *       as that principal (subject to scopes and environment);
 *   <li><b>invalid</b>: return {@link ValidationResult#invalid(InvalidReason)}; the client receives
 *       the documented {@code 401 unauthorized}. The reason is for the audit trail only: clients
 *       never see it;
 *   <li><b>could not decide</b>: throw {@link KeyValidationException} (store down, timeout). The
 *       request fails closed with {@code 503}; it never passes.
 * </ol>
 *
 * <p>Any other exception, and a {@code null} result, are treated like {@link
 * KeyValidationException}: the request is refused with {@code 503}.
 *
 * <p>Implementations must be thread-safe: one instance serves every request. They must never put
 * the key into an exception message or a log line; {@link PresentedKey#toString()} is already
 * redacted.
 *
 * <p>Validators are found in this order, first match wins (several matches within one step fail the
 * deployment rather than pick one):
 *
 * <ol>
 *   <li>an instance given to the filter or feature in code;
 *   <li>the class named by {@code nimbus.auth.validator} (public no-argument constructor);
 *   <li>the hashed keys file named by {@code nimbus.auth.keys-file};
 *   <li>the key store named by {@code nimbus.auth.store} ({@code json-file} or {@code jdbc});
 *   <li>the application's CDI bean implementing {@code KeyValidator};
 *   <li>a {@link java.util.ServiceLoader} provider;
 *   <li>the application's CDI bean implementing {@link com.nimbusos.auth.api.keys.KeyStore},
 *       validated against.
 * </ol>
 *
 * <p>When none is found the deployment fails; there is no "allow all" fallback.
 */
@FunctionalInterface
public interface KeyValidator {

  /**
   * Validates one presented key.
   *
   * @param key the key exactly as the client sent it in {@code X-API-Key}; already checked to be
   *     non-empty, at most {@code nimbus.auth.max-key-length} characters and of the allowed
   *     characters
   * @return the outcome, never {@code null}
   * @throws KeyValidationException when the validator cannot decide; the request then fails closed
   */
  ValidationResult validate(PresentedKey key) throws KeyValidationException;
}
