package com.nimbusos.auth.it.containers;

import com.nimbusos.auth.contract.ContractApp;
import com.nimbusos.auth.contract.ContractKeyValidator;
import com.nimbusos.auth.contract.TestKeys;
import com.nimbusos.auth.it.containers.app.AnnotatedApiKeyFilter;
import com.nimbusos.auth.it.containers.app.BeanKeyValidator;
import com.nimbusos.auth.it.containers.app.ContractJaxrsApplication;
import com.nimbusos.auth.it.containers.app.MetricsProbeServlet;
import com.nimbusos.auth.it.containers.app.RuntimeProbeServlet;
import com.nimbusos.auth.it.containers.app.jsec.ContractAuthenticationMechanism;
import com.nimbusos.auth.it.routing.app.Probe;
import com.nimbusos.auth.it.routing.app.ProbeResource;
import com.nimbusos.auth.sample.Caller;
import com.nimbusos.auth.sample.HealthResource;
import com.nimbusos.auth.sample.OrdersApplication;
import com.nimbusos.auth.sample.OrdersResource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.importer.ExplodedImporter;
import org.jboss.shrinkwrap.api.spec.JavaArchive;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/**
 * The ways an application wires Nimbus Auth, each as the WAR the container suites deploy: the
 * sample orders app, the contract's fixture validator and keys, and exactly the library jars that
 * wiring needs (the ones this build made, passed in by Maven as {@code it.jar.*}), and the
 * test-only {@link MetricsProbeServlet} and {@link RuntimeProbeServlet}. Context root {@code /} on
 * both servers, and CDI on (see {@code war/beans.xml}): the same WAR goes to WildFly and to Payara.
 * Every wiring's configuration also holds the routing corpus's public path and probe rules ({@link
 * Probe}), which the contract never touches; {@link #routingWar()} adds the probe itself.
 */
enum Wiring {

  /** {@code ApiKeyFilter} declared in {@code WEB-INF/web.xml}, configured by init-params. */
  WEB_XML(Library.API, Library.FILTER) {
    @Override
    void customise(WebArchive war) {
      war.addClass(OrdersApplication.class).setWebXML(new StringAsset(webXml(filterProperties())));
    }
  },

  /** A {@code @WebFilter} subclass of {@code ApiKeyFilter}: no web.xml. */
  ANNOTATION(Library.API, Library.FILTER) {
    @Override
    void customise(WebArchive war) {
      war.addClasses(OrdersApplication.class, AnnotatedApiKeyFilter.class);
    }
  },

  /**
   * The JAX-RS feature, discovered as a {@code @Provider}, configured by the Application's
   * properties.
   */
  JAXRS(Library.API, Library.JAXRS) {
    @Override
    void customise(WebArchive war) {
      war.addClasses(ContractJaxrsApplication.class, ContractApp.class)
          .addAsWebInfResource("war/glassfish-web-jaxrs.xml", "glassfish-web.xml");
    }
  },

  /**
   * Zero configuration in code or descriptors beyond declaring the filter: the validator is the
   * application's CDI bean ({@code BeanKeyValidator}, named nowhere), every property comes from
   * {@code META-INF/microprofile-config.properties} ({@link #microProfileConfig()}), except one
   * context-param that the file contradicts ({@code nimbus.auth.environment}): the contract passes
   * only if the context-param wins, as the documented precedence says.
   */
  CDI_MICROPROFILE_CONFIG(Library.API, Library.FILTER) {
    @Override
    void customise(WebArchive war) {
      war.addClasses(OrdersApplication.class, BeanKeyValidator.class)
          .setWebXML(
              new StringAsset(bareFilterWebXml(Map.of("nimbus.auth.environment", "sandbox"))))
          .addAsResource(
              new StringAsset(microProfileConfig()), "META-INF/microprofile-config.properties");
    }
  },

  /**
   * The Jakarta Security mechanism (the application's {@code @ApplicationScoped} subclass of {@code
   * ApiKeyAuthenticationMechanism}), configured by context-params, so that container security sees
   * the caller; {@code ApiKeyErrorServlet} as the error page of the container's own refusals; the
   * JAX-RS feature for the resources' {@code @RolesAllowed} and the EJB refusal mapper. Beside the
   * sample, the test app of {@code app.jsec}: servlets, an EJB, a {@code web.xml} security
   * constraint, and a second JAX-RS application without the Nimbus feature. Not every runtime shows
   * context-params to the feature, so it finds the required environment in {@code
   * META-INF/microprofile-config.properties}.
   */
  JAKARTA_SECURITY(Library.API, Library.FILTER, Library.JAXRS) {
    @Override
    void customise(WebArchive war) {
      war.addClass(OrdersApplication.class)
          .addPackage(ContractAuthenticationMechanism.class.getPackage())
          .setWebXML(new StringAsset(jakartaSecurityWebXml(jakartaSecurityProperties())))
          .addAsResource(
              new StringAsset(
                  "nimbus.auth.environment="
                      + filterProperties().get("nimbus.auth.environment")
                      + "\n"),
              "META-INF/microprofile-config.properties");
    }
  };

  /**
   * Where the jakarta-security WAR maps {@code ApiKeyErrorServlet}, the error page of 403 and EJB
   * refusals.
   */
  static final String ERROR_PAGE = "/nimbus-auth/error";

  /**
   * The path the jakarta-security WAR's {@code web.xml} constraint guards, and the role it demands.
   */
  static final String CONSTRAINED_PATH = "/servlet/write-only/*";

  static final String CONSTRAINT_ROLE = "orders:write";

  /**
   * A path both public (Nimbus) and guarded by a constraint (container): a configuration mistake.
   */
  static final String PUBLIC_CONSTRAINED_PATH = "/servlet/public-but-constrained";

  /** A library jar of this build, found through the system property Maven sets. */
  enum Library {
    API("it.jar.api", "nimbus-auth-api", "com/nimbusos/auth/api/engine/AuthenticationEngine.class"),
    FILTER("it.jar.filter", "nimbus-auth-filter", "com/nimbusos/auth/filter/ApiKeyFilter.class"),
    JAXRS("it.jar.jaxrs", "nimbus-auth-jaxrs", "com/nimbusos/auth/jaxrs/NimbusAuthFeature.class");

    final String property;
    final String artifactId;
    final String marker;

    Library(String property, String artifactId, String marker) {
      this.property = property;
      this.artifactId = artifactId;
      this.marker = marker;
    }

    /** The jar (or, when Maven stopped before packaging, the classes directory made into a jar). */
    JavaArchive archive() {
      Path path = Path.of(TestTls.requiredProperty(property));
      JavaArchive jar;
      if (Files.isDirectory(path)) {
        jar =
            ShrinkWrap.create(ExplodedImporter.class, artifactId + ".jar")
                .importDirectory(path.toFile())
                .as(JavaArchive.class);
      } else if (Files.isRegularFile(path)) {
        jar = ShrinkWrap.createFromZipFile(JavaArchive.class, path.toFile());
      } else {
        throw new IllegalStateException(property + " names no file: " + path);
      }
      if (!jar.getName().startsWith(artifactId) || !jar.contains(marker)) {
        throw new IllegalStateException(property + " is not " + artifactId + ": " + path);
      }
      return jar;
    }
  }

  /**
   * What the filter wirings are configured with: the contract's properties and the probe's (the
   * JAX-RS one: see {@code ContractJaxrsApplication}).
   */
  static Map<String, String> filterProperties() {
    return Probe.with(ContractApp.properties(true, true));
  }

  /**
   * The filter wirings' properties, with one more public path: {@value #PUBLIC_CONSTRAINED_PATH}.
   */
  static Map<String, String> jakartaSecurityProperties() {
    Map<String, String> properties = new LinkedHashMap<>(filterProperties());
    properties.put(
        "nimbus.auth.public-paths",
        properties.get("nimbus.auth.public-paths") + "," + PUBLIC_CONSTRAINED_PATH);
    return properties;
  }

  private final List<Library> libraries;

  Wiring(Library... libraries) {
    this.libraries = List.of(libraries);
  }

  /** The library jars in this wiring's {@code WEB-INF/lib}. */
  List<Library> libraries() {
    return libraries;
  }

  /** The WAR for this wiring. */
  WebArchive war() {
    WebArchive war =
        ShrinkWrap.create(WebArchive.class, "ROOT.war")
            .addClasses(OrdersResource.class, HealthResource.class, Caller.class)
            .addClasses(ContractKeyValidator.class, TestKeys.class, Probe.class)
            .addClasses(
                MetricsProbeServlet.class,
                MetricsProbeServlet.Micrometer.class,
                MetricsProbeServlet.MicroProfile.class,
                MetricsProbeServlet.Application.class,
                RuntimeProbeServlet.class)
            .addAsResource("com/nimbusos/auth/contract/contract-keys.properties")
            .addAsWebInfResource("war/beans.xml", "beans.xml")
            .addAsWebInfResource("war/jboss-web.xml", "jboss-web.xml");
    for (Library library : libraries) {
      war.addAsLibrary(library.archive());
    }
    customise(war);
    if (!war.contains("/WEB-INF/glassfish-web.xml")) {
      war.addAsWebInfResource("war/glassfish-web.xml", "glassfish-web.xml");
    }
    return war;
  }

  abstract void customise(WebArchive war);

  /**
   * The routing corpus's WAR: this wiring's WAR plus the JAX-RS jar where the wiring lacks it (the
   * issue's bypasses need a JAX-RS runtime routing behind the servlet filter), the {@link
   * ProbeResource}, and the test-only audit recorder and its servlet ({@code /it-audit}).
   */
  WebArchive routingWar() {
    WebArchive war = war();
    if (!libraries.contains(Library.JAXRS)) {
      war.addAsLibrary(Library.JAXRS.archive());
    }
    return war.addPackage(ProbeResource.class.getPackage());
  }

  /**
   * The zero-configuration WAR's {@code microprofile-config.properties}: the filter wirings'
   * properties without a validator (CDI finds it), and an environment the context-param overrides.
   */
  static String microProfileConfig() {
    Map<String, String> properties = new LinkedHashMap<>(filterProperties());
    properties.remove("nimbus.auth.validator");
    properties.put("nimbus.auth.environment", "production");
    StringBuilder text =
        new StringBuilder(
            "# Read through MicroProfile Config; a context-param overrides the environment.\n");
    properties.forEach((name, value) -> text.append(name).append('=').append(value).append('\n'));
    return text.toString();
  }

  /**
   * A web.xml declaring {@code ApiKeyFilter} on {@code /*} without init-params, and {@code
   * contextParams}.
   */
  static String bareFilterWebXml(Map<String, String> contextParams) {
    return filterWebXml(contextParams, Map.of());
  }

  /** A web.xml declaring {@code ApiKeyFilter} on {@code /*} with {@code initParams}. */
  static String webXml(Map<String, String> initParams) {
    return filterWebXml(Map.of(), initParams);
  }

  private static String filterWebXml(
      Map<String, String> contextParams, Map<String, String> initParams) {
    StringBuilder xml = contextParams(webAppStart(), contextParams);
    xml.append("  <filter>\n")
        .append("    <filter-name>nimbus-auth</filter-name>\n")
        .append("    <filter-class>com.nimbusos.auth.filter.ApiKeyFilter</filter-class>\n");
    initParams.forEach(
        (name, value) ->
            xml.append("    <init-param><param-name>")
                .append(escape(name))
                .append("</param-name>")
                .append("<param-value>")
                .append(escape(value))
                .append("</param-value></init-param>\n"));
    return xml.append("  </filter>\n")
        .append("  <filter-mapping>\n")
        .append("    <filter-name>nimbus-auth</filter-name>\n")
        .append("    <url-pattern>/*</url-pattern>\n")
        .append("  </filter-mapping>\n")
        .append("</web-app>\n")
        .toString();
  }

  /**
   * The jakarta-security WAR's web.xml: {@code contextParams} for the mechanism; {@code
   * ApiKeyErrorServlet} as the error page of 403 and of EJB refusals; a security constraint
   * demanding {@value #CONSTRAINT_ROLE} on {@value #CONSTRAINED_PATH}, another on the public path
   * {@value #PUBLIC_CONSTRAINED_PATH}; the roles (scopes) the app uses. No filter.
   */
  static String jakartaSecurityWebXml(Map<String, String> contextParams) {
    StringBuilder xml = contextParams(webAppStart(), contextParams);
    xml.append("  <servlet>\n")
        .append("    <servlet-name>nimbus-auth-error</servlet-name>\n")
        .append("    <servlet-class>com.nimbusos.auth.filter.ApiKeyErrorServlet</servlet-class>\n")
        .append("  </servlet>\n")
        .append("  <servlet-mapping>\n")
        .append("    <servlet-name>nimbus-auth-error</servlet-name>\n")
        .append("    <url-pattern>")
        .append(ERROR_PAGE)
        .append("</url-pattern>\n")
        .append("  </servlet-mapping>\n")
        .append("  <error-page><error-code>403</error-code><location>")
        .append(ERROR_PAGE)
        .append("</location></error-page>\n")
        .append("  <error-page>\n")
        .append("    <exception-type>jakarta.ejb.EJBAccessException</exception-type>\n")
        .append("    <location>")
        .append(ERROR_PAGE)
        .append("</location>\n")
        .append("  </error-page>\n");
    securityConstraint(xml, "write-only", CONSTRAINED_PATH, CONSTRAINT_ROLE);
    securityConstraint(xml, "public-but-constrained", PUBLIC_CONSTRAINED_PATH, "orders:read");
    return xml.append("  <security-role><role-name>orders:read</role-name></security-role>\n")
        .append("  <security-role><role-name>orders:write</role-name></security-role>\n")
        .append("</web-app>\n")
        .toString();
  }

  private static StringBuilder contextParams(StringBuilder xml, Map<String, String> contextParams) {
    contextParams.forEach(
        (name, value) ->
            xml.append("  <context-param><param-name>")
                .append(escape(name))
                .append("</param-name>")
                .append("<param-value>")
                .append(escape(value))
                .append("</param-value></context-param>\n"));
    return xml;
  }

  private static void securityConstraint(
      StringBuilder xml, String name, String urlPattern, String role) {
    xml.append("  <security-constraint>\n")
        .append("    <web-resource-collection>\n")
        .append("      <web-resource-name>")
        .append(name)
        .append("</web-resource-name>\n")
        .append("      <url-pattern>")
        .append(urlPattern)
        .append("</url-pattern>\n")
        .append("    </web-resource-collection>\n")
        .append("    <auth-constraint><role-name>")
        .append(role)
        .append("</role-name></auth-constraint>\n")
        .append("  </security-constraint>\n");
  }

  private static StringBuilder webAppStart() {
    return new StringBuilder()
        .append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
        .append("<web-app xmlns=\"https://jakarta.ee/xml/ns/jakartaee\"\n")
        .append("         xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"\n")
        .append("         xsi:schemaLocation=\"https://jakarta.ee/xml/ns/jakartaee")
        .append(" https://jakarta.ee/xml/ns/jakartaee/web-app_6_0.xsd\"\n")
        .append("         version=\"6.0\">\n");
  }

  private static String escape(String text) {
    return text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}
