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
 * <p>Validators are found in this order, first match wins ({@code
 * com.nimbusos.auth.api.engine.ValidatorResolver}):
 *
 * <ol>
 *   <li>an instance given in code: to {@code ApiKeyFilter}, to {@code NimbusAuthFeature}, or by a
 *       subclass of {@code ApiKeyAuthenticationMechanism};
 *   <li>the class named by {@code nimbus.auth.validator}, which must implement {@code KeyValidator}
 *       and have a public no-argument constructor;
 *   <li>the hashed keys file named by {@code nimbus.auth.keys-file}, refused if it holds keys of an
 *       environment other than {@code nimbus.auth.environment};
 *   <li>the key store named by {@code nimbus.auth.store} ({@code json-file} or {@code jdbc});
 *   <li>the application's one CDI bean implementing {@code KeyValidator}, when it has CDI;
 *   <li>the one {@link java.util.ServiceLoader} provider named in {@code
 *       META-INF/services/com.nimbusos.auth.api.KeyValidator};
 *   <li>the application's one CDI bean implementing {@link com.nimbusos.auth.api.keys.KeyStore},
 *       validated against as in step 4.
 * </ol>
 *
 * <p>A source that is there but broken (a class that cannot be made, a CDI bean whose producer
 * throws, an unusable service) fails the deployment naming the setting, and so do two CDI beans or
 * two services in one step: none is skipped, and none picked. When no source provides a validator
 * the deployment fails too; there is no "allow all" fallback. (The JAX-RS feature alone, meant to
 * run behind the Nimbus servlet filter or mechanism, then refuses with {@code 503} every request
 * they did not decide.) A validator made in steps 2 to 4, 6 or 7 is closed, if it is {@link
 * AutoCloseable}, when the application stops; an instance given in code and a CDI bean are their
 * owners' to close.
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
