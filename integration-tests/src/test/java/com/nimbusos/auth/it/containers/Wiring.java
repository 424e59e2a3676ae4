package com.nimbusos.auth.it.containers;

import com.nimbusos.auth.contract.ContractApp;
import com.nimbusos.auth.contract.ContractKeyValidator;
import com.nimbusos.auth.contract.TestKeys;
import com.nimbusos.auth.it.containers.app.AnnotatedApiKeyFilter;
import com.nimbusos.auth.it.containers.app.ContractJaxrsApplication;
import com.nimbusos.auth.sample.Caller;
import com.nimbusos.auth.sample.HealthResource;
import com.nimbusos.auth.sample.OrdersApplication;
import com.nimbusos.auth.sample.OrdersResource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.importer.ExplodedImporter;
import org.jboss.shrinkwrap.api.spec.JavaArchive;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/**
 * The three ways an application wires Nimbus Auth, each as the WAR the container suites deploy: the sample
 * orders app, the contract's fixture validator and keys, and exactly the library jars that wiring needs
 * (the ones this build made, passed in by Maven as {@code it.jar.*}). Context root {@code /} on both servers,
 * and CDI on (see {@code war/beans.xml}): the same WAR goes to WildFly and to Payara.
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

  /** The JAX-RS feature, discovered as a {@code @Provider}, configured by the Application's properties. */
  JAXRS(Library.API, Library.JAXRS) {
    @Override
    void customise(WebArchive war) {
      war.addClasses(ContractJaxrsApplication.class, ContractApp.class)
          .addAsWebInfResource("war/glassfish-web-jaxrs.xml", "glassfish-web.xml");
    }
  };

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
        jar = ShrinkWrap.create(ExplodedImporter.class, artifactId + ".jar")
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

  /** What the filter wirings are configured with (the JAX-RS one: see {@code ContractJaxrsApplication}). */
  static Map<String, String> filterProperties() {
    return ContractApp.properties(true, true);
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
    WebArchive war = ShrinkWrap.create(WebArchive.class, "ROOT.war")
        .addClasses(OrdersResource.class, HealthResource.class, Caller.class)
        .addClasses(ContractKeyValidator.class, TestKeys.class)
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

  /** A web.xml declaring {@code ApiKeyFilter} on {@code /*} with {@code initParams}. */
  static String webXml(Map<String, String> initParams) {
    StringBuilder xml = new StringBuilder()
        .append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
        .append("<web-app xmlns=\"https://jakarta.ee/xml/ns/jakartaee\"\n")
        .append("         xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"\n")
        .append("         xsi:schemaLocation=\"https://jakarta.ee/xml/ns/jakartaee")
        .append(" https://jakarta.ee/xml/ns/jakartaee/web-app_6_0.xsd\"\n")
        .append("         version=\"6.0\">\n")
        .append("  <filter>\n")
        .append("    <filter-name>nimbus-auth</filter-name>\n")
        .append("    <filter-class>com.nimbusos.auth.filter.ApiKeyFilter</filter-class>\n");
    initParams.forEach((name, value) -> xml
        .append("    <init-param><param-name>").append(escape(name)).append("</param-name>")
        .append("<param-value>").append(escape(value)).append("</param-value></init-param>\n"));
    return xml
        .append("  </filter>\n")
        .append("  <filter-mapping>\n")
        .append("    <filter-name>nimbus-auth</filter-name>\n")
        .append("    <url-pattern>/*</url-pattern>\n")
        .append("  </filter-mapping>\n")
        .append("</web-app>\n")
        .toString();
  }

  private static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
