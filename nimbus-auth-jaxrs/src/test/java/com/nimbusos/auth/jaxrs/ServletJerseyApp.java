package com.nimbusos.auth.jaxrs;

import com.nimbusos.auth.contract.LoopbackJetty;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.servlet.ServletContainer;

/**
 * A Jersey application as a servlet on a {@link LoopbackJetty}: the JAX-RS feature and the key
 * management API read the request from the servlet API, as they do in WildFly and Payara.
 */
public final class ServletJerseyApp {

  private ServletJerseyApp() {}

  /** Starts {@code application} at {@code /}, with the client address listener the jar ships. */
  public static LoopbackJetty start(ResourceConfig application) throws Exception {
    ServletContextHandler context = context(application);
    context.addEventListener(new ClientAddressListener());
    return LoopbackJetty.start(context);
  }

  /** A context serving {@code application} at {@code /*}, for a test to add to before starting. */
  public static ServletContextHandler context(ResourceConfig application) {
    application.property("jersey.config.server.wadl.disableWadl", true);
    ServletContextHandler context = new ServletContextHandler("/");
    context.addServlet(new ServletHolder(new ServletContainer(application)), "/*");
    return context;
  }
}
