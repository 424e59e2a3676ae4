package com.nimbusos.auth.bench;

import com.nimbusos.auth.api.KeyValidator;
import com.nimbusos.auth.api.config.NimbusAuthConfig;
import com.nimbusos.auth.jaxrs.NimbusAuthFeature;
import io.dropwizard.auth.AuthDynamicFeature;
import io.dropwizard.auth.AuthFilter;
import io.dropwizard.auth.AuthValueFactoryProvider;
import io.dropwizard.auth.Authenticator;
import jakarta.annotation.Priority;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import java.security.Principal;
import java.util.Optional;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.server.filter.RolesAllowedDynamicFeature;

/**
 * The twin applications every request benchmark serves: the same one-line resource with no
 * authentication ({@code /open}), behind Nimbus' JAX-RS feature ({@code /secured}), behind
 * dropwizard-auth ({@code /dropwizard}) with an {@link Authenticator} doing the floor's hashed
 * lookup, and behind the {@link ContractFloor} ({@code /contract}). The resources are identical; so
 * is what the caller's code sees (the principal in the security context).
 */
public final class BenchApps {

  /** The header keys travel in. */
  public static final String HEADER = "X-API-Key";

  /** What every resource answers. */
  public static final String BODY = "ok";

  private BenchApps() {}

  // The three resources are the same method: one injected SecurityContext (how resources see the
  // caller),
  // one constant answer. Only the authentication in front of them differs.

  /** No authentication at all: the baseline. */
  @Path("open")
  public static class OpenResource {
    @GET
    @Produces(MediaType.TEXT_PLAIN)
    public String get(@Context SecurityContext security) {
      return security == null ? null : BODY;
    }
  }

  /** Behind Nimbus: any valid key. */
  @Path("secured")
  public static class SecuredResource {
    @GET
    @Produces(MediaType.TEXT_PLAIN)
    public String get(@Context SecurityContext security) {
      return security == null ? null : BODY;
    }
  }

  /**
   * Behind dropwizard-auth: {@code @PermitAll} ("any authenticated caller" in dropwizard-auth)
   * makes its {@code AuthDynamicFeature} put the auth filter in front, as its manual describes; the
   * caller is in the security context, as with Nimbus.
   */
  @Path("dropwizard")
  @PermitAll
  public static class DropwizardResource {
    @GET
    @Produces(MediaType.TEXT_PLAIN)
    public String get(@Context SecurityContext security) {
      return security == null ? null : BODY;
    }
  }

  /** Behind the {@link ContractFloor}: the least that keeps Nimbus' HTTP contract. */
  @Path("contract")
  public static class ContractResource {
    @GET
    @Produces(MediaType.TEXT_PLAIN)
    public String get(@Context SecurityContext security) {
      return security == null ? null : BODY;
    }
  }

  /** The principal of the dropwizard and contract-floor twins. */
  public record Caller(String getName) implements Principal {}

  /**
   * The configuration of every Nimbus benchmark: plain HTTP allowed, throttling off, events
   * counted.
   */
  public static NimbusAuthConfig nimbusConfig(boolean defaultAuditSink) {
    NimbusAuthConfig.Builder builder =
        NimbusAuthConfig.builder().anyEnvironment().requireHttps(false).throttle(0, 60);
    if (!defaultAuditSink) {
      builder.auditSink(CountingAuditSink.class.getName());
    }
    return builder.build();
  }

  /** {@code /open}. */
  public static ResourceConfig open() {
    return quiet(new ResourceConfig(OpenResource.class));
  }

  /**
   * {@code /secured}: Nimbus' feature, registered as the README says, with a validator given in
   * code.
   */
  public static ResourceConfig secured(KeyValidator validator, NimbusAuthConfig config) {
    return quiet(
        new ResourceConfig(SecuredResource.class)
            .register(new NimbusAuthFeature(validator, config)));
  }

  /**
   * {@code /dropwizard}: dropwizard-auth registered as its manual says (AuthDynamicFeature with the
   * filter, RolesAllowedDynamicFeature, AuthValueFactoryProvider.Binder). dropwizard-auth has no
   * API-key filter of its own; {@link ApiKeyAuthFilter} is the few lines its manual asks for a
   * custom scheme.
   */
  public static ResourceConfig dropwizard(Floor.Shared<Caller> keys) {
    Authenticator<String, Caller> authenticator = key -> Optional.ofNullable(keys.lookup(key));
    ResourceConfig config = new ResourceConfig(DropwizardResource.class);
    config.register(
        new AuthDynamicFeature(
            new ApiKeyAuthFilter.Builder<Caller>()
                .setAuthenticator(authenticator)
                .setPrefix("ApiKey")
                .setRealm("nimbus")
                .buildAuthFilter()));
    config.register(RolesAllowedDynamicFeature.class);
    config.register(new AuthValueFactoryProvider.Binder<>(Caller.class));
    return quiet(config);
  }

  /**
   * The floor's lookup (SHA-256, no pepper) over {@code keys}, each a {@link Caller} of its own:
   * what the dropwizard and contract-floor twins authenticate with.
   */
  public static Floor.Shared<Caller> callers(String[] keys) {
    return new Floor.Shared<>(
        Floor.of(keys, i -> new Caller("partner-" + i), Floor.Hashing.create(null)), null);
  }

  /** {@code /contract}: the {@link ContractFloor}'s filters over the floor's lookup. */
  public static ResourceConfig contractFloor(Floor.Shared<Caller> keys) {
    return quiet(
        new ResourceConfig(ContractResource.class).register(new ContractFloor(keys).jaxrs()));
  }

  private static ResourceConfig quiet(ResourceConfig config) {
    // No WADL: it is not part of any request measured, only start-up noise.
    return config.property("jersey.config.server.wadl.disableWadl", true);
  }

  /** An API-key {@link AuthFilter} for dropwizard-auth, after its OAuthCredentialAuthFilter. */
  @Priority(Priorities.AUTHENTICATION)
  public static final class ApiKeyAuthFilter<P extends Principal> extends AuthFilter<String, P> {

    @Override
    public void filter(ContainerRequestContext request) {
      String key = request.getHeaderString(HEADER);
      if (!authenticate(request, key, "API_KEY")) {
        throw unauthorizedHandler.buildException(prefix, realm);
      }
    }

    /** Builds the filter. */
    public static final class Builder<P extends Principal>
        extends AuthFilterBuilder<String, P, ApiKeyAuthFilter<P>> {
      @Override
      protected ApiKeyAuthFilter<P> newInstance() {
        return new ApiKeyAuthFilter<>();
      }
    }
  }
}
