package com.nimbusos.auth.it.containers;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusos.auth.contract.ContractApp;
import com.nimbusos.auth.filter.ApiKeyAuthenticationMechanism;
import com.nimbusos.auth.filter.ApiKeyErrorServlet;
import com.nimbusos.auth.it.containers.app.AnnotatedApiKeyFilter;
import com.nimbusos.auth.it.containers.app.ContractJaxrsApplication;
import com.nimbusos.auth.it.containers.app.jsec.ContractAuthenticationMechanism;
import com.nimbusos.auth.it.routing.app.AuditProbeServlet;
import com.nimbusos.auth.it.routing.app.AuditRecorder;
import com.nimbusos.auth.it.routing.app.Probe;
import com.nimbusos.auth.it.routing.app.ProbeResource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.annotation.WebInitParam;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import javax.xml.parsers.DocumentBuilderFactory;
import org.jboss.shrinkwrap.api.Node;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The WARs the container suites deploy hold what each wiring promises, and nothing the wiring must
 * not.
 */
class ContainerWarsTest {

  @ParameterizedTest
  @EnumSource(Wiring.class)
  void holdsExactlyTheLibraryJarsOfItsWiring(Wiring wiring) {
    Set<String> jars = new TreeSet<>();
    Node lib = wiring.war().get("/WEB-INF/lib");
    for (Node jar : lib.getChildren()) {
      jars.add(
          jar.getPath()
              .get()
              .substring("/WEB-INF/lib/".length())
              .replaceFirst("-\\d.*", "")
              .replace(".jar", ""));
    }
    Set<String> expected = new TreeSet<>();
    wiring.libraries().forEach(library -> expected.add(library.artifactId));
    assertEquals(expected, jars);
  }

  @ParameterizedTest
  @EnumSource(Wiring.class)
  void holdsTheSampleAndTheFixtureValidator(Wiring wiring) {
    WebArchive war = wiring.war();
    assertAll(
        () -> assertEquals("ROOT.war", war.getName()),
        () ->
            assertTrue(has(war, "/WEB-INF/classes/com/nimbusos/auth/sample/OrdersResource.class")),
        () ->
            assertTrue(has(war, "/WEB-INF/classes/com/nimbusos/auth/sample/HealthResource.class")),
        () ->
            assertTrue(
                has(war, "/WEB-INF/classes/com/nimbusos/auth/contract/ContractKeyValidator.class")),
        () -> assertTrue(has(war, "/WEB-INF/classes/com/nimbusos/auth/contract/TestKeys.class")),
        () ->
            assertTrue(
                has(
                    war,
                    "/WEB-INF/classes/com/nimbusos/auth/it/containers/app/MetricsProbeServlet$MicroProfile.class")),
        () ->
            assertTrue(
                has(war, "/WEB-INF/classes/com/nimbusos/auth/contract/contract-keys.properties")),
        () -> assertTrue(has(war, "/WEB-INF/jboss-web.xml")),
        () -> assertTrue(has(war, "/WEB-INF/glassfish-web.xml")),
        () ->
            assertEquals(
                wiring != Wiring.JAXRS,
                has(war, "/WEB-INF/classes/com/nimbusos/auth/sample/OrdersApplication.class")),
        () ->
            assertEquals(
                wiring != Wiring.ANNOTATION && wiring != Wiring.JAXRS,
                has(war, "/WEB-INF/web.xml")),
        () ->
            assertEquals(
                wiring == Wiring.CDI_MICROPROFILE_CONFIG || wiring == Wiring.JAKARTA_SECURITY,
                has(war, "/WEB-INF/classes/META-INF/microprofile-config.properties")),
        () ->
            assertEquals(
                wiring == Wiring.CDI_MICROPROFILE_CONFIG,
                has(
                    war,
                    "/WEB-INF/classes/com/nimbusos/auth/it/containers/app/BeanKeyValidator.class")),
        () ->
            assertEquals(
                wiring == Wiring.ANNOTATION,
                has(
                    war,
                    "/WEB-INF/classes/com/nimbusos/auth/it/containers/app/AnnotatedApiKeyFilter.class")),
        () -> assertTrue(has(war, "/WEB-INF/beans.xml")));
  }

  @ParameterizedTest
  @EnumSource(Wiring.class)
  void leavesRolesAllowedToNimbusOnPayaraOnlyWhenNoServletFilterIsInFront(Wiring wiring)
      throws Exception {
    String descriptor;
    try (var in = wiring.war().get("/WEB-INF/glassfish-web.xml").getAsset().openStream()) {
      descriptor = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    assertAll(
        () -> assertTrue(descriptor.contains("<context-root>/</context-root>"), descriptor),
        () ->
            assertEquals(
                wiring == Wiring.JAXRS,
                descriptor.contains(
                    "<jaxrs-roles-allowed-enabled>false</jaxrs-roles-allowed-enabled>"),
                descriptor));
  }

  @ParameterizedTest
  @EnumSource(
      value = Wiring.class,
      names = {"WEB_XML", "ANNOTATION", "JAXRS", "JAKARTA_SECURITY"})
  void routingWarAddsTheProbeTheAuditRecorderAndTheJaxrsJarToItsWiring(Wiring wiring) {
    WebArchive war = wiring.routingWar();
    Set<String> jars = new TreeSet<>();
    for (Node jar : war.get("/WEB-INF/lib").getChildren()) {
      jars.add(
          jar.getPath()
              .get()
              .substring("/WEB-INF/lib/".length())
              .replaceFirst("-\\d.*", "")
              .replace(".jar", ""));
    }
    Set<String> expected = new TreeSet<>();
    wiring.libraries().forEach(library -> expected.add(library.artifactId));
    expected.add(Wiring.Library.JAXRS.artifactId);
    assertAll(
        () -> assertEquals(expected, jars),
        () -> assertTrue(has(war, classFile(ProbeResource.class))),
        () -> assertTrue(has(war, classFile(AuditRecorder.class))),
        () -> assertTrue(has(war, classFile(AuditProbeServlet.class))),
        () ->
            assertTrue(has(war, "/WEB-INF/classes/com/nimbusos/auth/sample/OrdersResource.class")),
        () ->
            assertEquals(wiring.war().contains("/WEB-INF/web.xml"), has(war, "/WEB-INF/web.xml")));
  }

  @Test
  void everyWiringsConfigurationHoldsTheProbesPublicPathAndRules() {
    Map<String, String> jaxrs =
        new ContractJaxrsApplication()
            .getProperties().entrySet().stream()
                .collect(
                    java.util.stream.Collectors.toMap(
                        Map.Entry::getKey, e -> (String) e.getValue()));
    for (Map<String, String> properties : java.util.List.of(Wiring.filterProperties(), jaxrs)) {
      assertAll(
          () ->
              assertEquals(
                  "/health," + Probe.PUBLIC_PATH, properties.get("nimbus.auth.public-paths")),
          () ->
              assertTrue(
                  properties.get("nimbus.auth.scope-rules").endsWith(Probe.SCOPE_RULES),
                  properties.toString()));
    }
  }

  @Test
  void webXmlDeclaresTheFilterOnEverythingWithTheContractProperties() throws Exception {
    Document xml =
        DocumentBuilderFactory.newDefaultNSInstance()
            .newDocumentBuilder()
            .parse(
                new ByteArrayInputStream(
                    Wiring.webXml(Wiring.filterProperties()).getBytes(StandardCharsets.UTF_8)));
    Map<String, String> params = new LinkedHashMap<>();
    NodeList nodes = xml.getElementsByTagName("init-param");
    for (int i = 0; i < nodes.getLength(); i++) {
      Element param = (Element) nodes.item(i);
      params.put(text(param, "param-name"), text(param, "param-value"));
    }
    assertAll(
        () -> assertEquals(Wiring.filterProperties(), params),
        () ->
            assertEquals(
                "com.nimbusos.auth.filter.ApiKeyFilter",
                text(xml.getDocumentElement(), "filter-class")),
        () -> assertEquals("/*", text(xml.getDocumentElement(), "url-pattern")));
  }

  @ParameterizedTest
  @EnumSource(Wiring.class)
  void onlyTheJakartaSecurityWiringOptsIntoTheMechanism(Wiring wiring) throws Exception {
    // The filter jar is in three of the WARs: its mechanism must be activated by a class of the
    // application.
    Set<String> mechanisms = new TreeSet<>();
    for (String name : classNames(wiring.war())) {
      Class<?> type = Class.forName(name, false, getClass().getClassLoader());
      if (ApiKeyAuthenticationMechanism.class.isAssignableFrom(type)) {
        assertTrue(type.isAnnotationPresent(ApplicationScoped.class), name);
        mechanisms.add(name);
      }
    }
    assertEquals(
        wiring == Wiring.JAKARTA_SECURITY
            ? Set.of(ContractAuthenticationMechanism.class.getName())
            : Set.of(),
        mechanisms);
  }

  @Test
  void jakartaSecurityWebXmlConfiguresTheMechanismTheErrorPageAndAConstraintButNoFilter()
      throws Exception {
    Document xml;
    try (var in = Wiring.JAKARTA_SECURITY.war().get("/WEB-INF/web.xml").getAsset().openStream()) {
      xml = DocumentBuilderFactory.newDefaultNSInstance().newDocumentBuilder().parse(in);
    }
    Element root = xml.getDocumentElement();
    Map<String, String> params = new LinkedHashMap<>();
    NodeList nodes = xml.getElementsByTagName("context-param");
    for (int i = 0; i < nodes.getLength(); i++) {
      Element param = (Element) nodes.item(i);
      params.put(text(param, "param-name"), text(param, "param-value"));
    }
    Map<String, String> errorPages = new LinkedHashMap<>();
    NodeList pages = xml.getElementsByTagName("error-page");
    for (int i = 0; i < pages.getLength(); i++) {
      Element page = (Element) pages.item(i);
      String key =
          page.getElementsByTagName("error-code").getLength() > 0
              ? text(page, "error-code")
              : text(page, "exception-type");
      errorPages.put(key, text(page, "location"));
    }
    assertAll(
        () -> assertEquals(Wiring.jakartaSecurityProperties(), params),
        () ->
            assertEquals(
                "/health," + Probe.PUBLIC_PATH + "," + Wiring.PUBLIC_CONSTRAINED_PATH,
                params.get("nimbus.auth.public-paths")),
        () -> {
          Map<String, String> others = new LinkedHashMap<>(params);
          others.remove("nimbus.auth.public-paths");
          Map<String, String> contract = new LinkedHashMap<>(Wiring.filterProperties());
          contract.remove("nimbus.auth.public-paths");
          assertEquals(contract, others);
        },
        () -> assertEquals(0, xml.getElementsByTagName("filter").getLength()),
        () -> assertEquals(ApiKeyErrorServlet.class.getName(), text(root, "servlet-class")),
        () ->
            assertEquals(
                Wiring.ERROR_PAGE,
                text((Element) xml.getElementsByTagName("servlet-mapping").item(0), "url-pattern")),
        () ->
            assertEquals(
                Map.of(
                    "403", Wiring.ERROR_PAGE, "jakarta.ejb.EJBAccessException", Wiring.ERROR_PAGE),
                errorPages),
        () ->
            assertEquals(
                Wiring.CONSTRAINED_PATH,
                text(
                    (Element) xml.getElementsByTagName("security-constraint").item(0),
                    "url-pattern")),
        () ->
            assertEquals(
                Wiring.CONSTRAINT_ROLE,
                text((Element) xml.getElementsByTagName("auth-constraint").item(0), "role-name")));
  }

  @Test
  void annotatedFilterCarriesTheContractProperties() {
    WebFilter filter = AnnotatedApiKeyFilter.class.getAnnotation(WebFilter.class);
    Map<String, String> params = new LinkedHashMap<>();
    for (WebInitParam param : filter.initParams()) {
      params.put(param.name(), param.value());
    }
    assertAll(
        () -> assertEquals(Wiring.filterProperties(), params),
        () -> assertArrayEquals(new String[] {"/*"}, filter.urlPatterns()),
        () -> assertEquals(0, filter.value().length));
  }

  @Test
  void jaxrsApplicationCarriesTheContractPropertiesWithScopeRulesForTheProbeOnly() {
    assertEquals(
        Probe.with(ContractApp.properties(true, false)),
        new ContractJaxrsApplication().getProperties());
    assertEquals(
        Probe.SCOPE_RULES,
        new ContractJaxrsApplication().getProperties().get("nimbus.auth.scope-rules"));
  }

  /** The classes in the WAR's WEB-INF/classes, by name. */
  private static Set<String> classNames(WebArchive war) {
    Set<String> names = new TreeSet<>();
    collect(war.get("/WEB-INF/classes"), names);
    return names;
  }

  private static void collect(Node node, Set<String> names) {
    String path = node.getPath().get();
    if (path.endsWith(".class")) {
      names.add(
          path.substring("/WEB-INF/classes/".length(), path.length() - ".class".length())
              .replace('/', '.'));
    }
    node.getChildren().forEach(child -> collect(child, names));
  }

  @Test
  void theZeroConfigurationWarNamesNoValidatorAndItsContextParamContradictsTheFile()
      throws Exception {
    java.util.Properties file = new java.util.Properties();
    file.load(new java.io.StringReader(Wiring.microProfileConfig()));
    Map<String, String> expected = new java.util.HashMap<>(Wiring.filterProperties());
    expected.remove("nimbus.auth.validator");
    expected.put("nimbus.auth.environment", "production");
    Map<String, String> read = new java.util.HashMap<>();
    file.forEach((name, value) -> read.put((String) name, (String) value));
    assertEquals(expected, read);
    String webXml = Wiring.bareFilterWebXml(Map.of("nimbus.auth.environment", "sandbox"));
    assertTrue(
        webXml.contains(
            "<context-param><param-name>nimbus.auth.environment</param-name><param-value>sandbox</param-value>"),
        webXml);
    assertFalse(webXml.contains("init-param"), webXml);
  }

  private static String classFile(Class<?> type) {
    return "/WEB-INF/classes/" + type.getName().replace('.', '/') + ".class";
  }

  private static boolean has(WebArchive war, String path) {
    return war.contains(path);
  }

  private static String text(Element parent, String tag) {
    return parent.getElementsByTagName(tag).item(0).getTextContent();
  }
}
