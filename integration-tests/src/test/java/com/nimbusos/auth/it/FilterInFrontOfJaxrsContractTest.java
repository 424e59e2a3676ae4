package com.nimbusos.auth.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.nimbusos.auth.api.KeyValidationException;
import com.nimbusos.auth.api.KeyValidator;
import com.nimbusos.auth.api.PresentedKey;
import com.nimbusos.auth.api.ValidationResult;
import com.nimbusos.auth.contract.ApiKeyContract;
import com.nimbusos.auth.contract.ContractApp;
import com.nimbusos.auth.contract.ContractKeyValidator;
import com.nimbusos.auth.contract.HttpProbe;
import com.nimbusos.auth.contract.LogCapture;
import com.nimbusos.auth.contract.LoopbackJetty;
import com.nimbusos.auth.contract.StartedApp;
import com.nimbusos.auth.contract.TestKeys;
import com.nimbusos.auth.filter.ApiKeyFilter;
import com.nimbusos.auth.jaxrs.NimbusAuthFeature;
import com.nimbusos.auth.sample.HealthResource;
import com.nimbusos.auth.sample.OrdersResource;
import jakarta.servlet.DispatcherType;
import java.net.URI;
import java.util.EnumSet;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.servlet.ServletContainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The contract, with both adapters on one request path, as many applications will run them: the
 * servlet filter authenticates, the JAX-RS feature (which has no validator of its own here) reuses
 * its verdict and enforces {@code @RolesAllowed}. The sample orders app is the application.
 */
@ExtendWith(LogCapture.class)
class FilterInFrontOfJaxrsContractTest extends ApiKeyContract {

  /** Counts how often a key is validated, to show that the JAX-RS side never validates again. */
  public static final class CountingValidator implements KeyValidator {
    static final AtomicInteger CALLS = new AtomicInteger();
    private final ContractKeyValidator delegate = new ContractKeyValidator();

    @Override
    public ValidationResult validate(PresentedKey key) throws KeyValidationException {
      CALLS.incrementAndGet();
      return delegate.validate(key);
    }
  }

  @RegisterExtension
  static final StartedApp<LoopbackJetty> APP =
      StartedApp.of(FilterInFrontOfJaxrsContractTest::start);

  private static LoopbackJetty start() throws Exception {
    ServletContextHandler context = new ServletContextHandler("/");
    FilterHolder filter = new FilterHolder(ApiKeyFilter.class);
    filter.setInitParameters(ContractApp.PROPERTIES);
    filter.setInitParameter("nimbus.auth.validator", CountingValidator.class.getName());
    // The log sink, named: LogCapture proves that audit lines carry no key.
    filter.setInitParameter("nimbus.auth.audit.sink", "logging");
    context.addFilter(filter, "/*", EnumSet.of(DispatcherType.REQUEST));
    ResourceConfig jaxrs =
        // No nimbus.auth.* setting for the feature: it enforces the annotations on the filter's
        // verdicts.
        new ResourceConfig(OrdersResource.class, HealthResource.class, NimbusAuthFeature.class);
    context.addServlet(new ServletHolder(new ServletContainer(jaxrs)), "/*");
    return LoopbackJetty.start(context);
  }

  @Override
  protected URI baseUri() {
    return APP.baseUri();
  }

  @Test
  void validatesEachKeyOnceForBothAdapters() {
    HttpProbe probe = HttpProbe.plain(this::baseUri);
    int before = CountingValidator.CALLS.get();
    assertEquals(200, probe.send(probe.get("orders").header("X-API-Key", TestKeys.READ)).status());
    assertEquals(before + 1, CountingValidator.CALLS.get());
  }
}
