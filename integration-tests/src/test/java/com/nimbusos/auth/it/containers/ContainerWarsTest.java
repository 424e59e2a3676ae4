package com.nimbusos.auth.it.containers;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusos.auth.contract.ContractApp;
import com.nimbusos.auth.it.containers.app.AnnotatedApiKeyFilter;
import com.nimbusos.auth.it.containers.app.ContractJaxrsApplication;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** The WARs the container suites deploy hold what each wiring promises, and nothing the wiring must not. */
class ContainerWarsTest {

  @ParameterizedTest
  @EnumSource(Wiring.class)
  void holdsExactlyTheLibraryJarsOfItsWiring(Wiring wiring) {
    Set<String> jars = new TreeSet<>();
    Node lib = wiring.war().get("/WEB-INF/lib");
    for (Node jar : lib.getChildren()) {
      jars.add(jar.getPath().get().substring("/WEB-INF/lib/".length()).replaceFirst("-\\d.*", "").replace(".jar", ""));
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
        () -> assertTrue(has(war, "/WEB-INF/classes/com/nimbusos/auth/sample/OrdersResource.class")),
        () -> assertTrue(has(war, "/WEB-INF/classes/com/nimbusos/auth/sample/HealthResource.class")),
        () -> assertTrue(has(war, "/WEB-INF/classes/com/nimbusos/auth/contract/ContractKeyValidator.class")),
        () -> assertTrue(has(war, "/WEB-INF/classes/com/nimbusos/auth/contract/TestKeys.class")),
        () -> assertTrue(has(war, "/WEB-INF/classes/com/nimbusos/auth/contract/contract-keys.properties")),
        () -> assertTrue(has(war, "/WEB-INF/jboss-web.xml")),
        () -> assertTrue(has(war, "/WEB-INF/glassfish-web.xml")),
        () -> assertEquals(wiring != Wiring.JAXRS,
            has(war, "/WEB-INF/classes/com/nimbusos/auth/sample/OrdersApplication.class")),
        () -> assertEquals(wiring == Wiring.WEB_XML, has(war, "/WEB-INF/web.xml")),
        () -> assertEquals(wiring == Wiring.ANNOTATION,
            has(war, "/WEB-INF/classes/com/nimbusos/auth/it/containers/app/AnnotatedApiKeyFilter.class")),
        () -> assertTrue(has(war, "/WEB-INF/beans.xml")));
  }

  @ParameterizedTest
  @EnumSource(Wiring.class)
  void leavesRolesAllowedToNimbusOnPayaraOnlyWhenNoServletFilterIsInFront(Wiring wiring) throws Exception {
    String descriptor;
    try (var in = wiring.war().get("/WEB-INF/glassfish-web.xml").getAsset().openStream()) {
      descriptor = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    assertAll(
        () -> assertTrue(descriptor.contains("<context-root>/</context-root>"), descriptor),
        () -> assertEquals(wiring == Wiring.JAXRS,
            descriptor.contains("<jaxrs-roles-allowed-enabled>false</jaxrs-roles-allowed-enabled>"), descriptor));
  }

  @Test
  void webXmlDeclaresTheFilterOnEverythingWithTheContractProperties() throws Exception {
    Document xml = DocumentBuilderFactory.newDefaultNSInstance().newDocumentBuilder().parse(
        new ByteArrayInputStream(Wiring.webXml(ContractApp.properties(true, true)).getBytes(StandardCharsets.UTF_8)));
    Map<String, String> params = new LinkedHashMap<>();
    NodeList nodes = xml.getElementsByTagName("init-param");
    for (int i = 0; i < nodes.getLength(); i++) {
      Element param = (Element) nodes.item(i);
      params.put(text(param, "param-name"), text(param, "param-value"));
    }
    assertAll(
        () -> assertEquals(ContractApp.properties(true, true), params),
        () -> assertEquals("com.nimbusos.auth.filter.ApiKeyFilter", text(xml.getDocumentElement(), "filter-class")),
        () -> assertEquals("/*", text(xml.getDocumentElement(), "url-pattern")));
  }

  @Test
  void annotatedFilterCarriesTheContractProperties() {
    WebFilter filter = AnnotatedApiKeyFilter.class.getAnnotation(WebFilter.class);
    Map<String, String> params = new LinkedHashMap<>();
    for (WebInitParam param : filter.initParams()) {
      params.put(param.name(), param.value());
    }
    assertAll(
        () -> assertEquals(ContractApp.properties(true, true), params),
        () -> assertArrayEquals(new String[] {"/*"}, filter.urlPatterns()),
        () -> assertEquals(0, filter.value().length));
  }

  @Test
  void jaxrsApplicationCarriesTheContractPropertiesWithoutScopeRules() {
    assertEquals(ContractApp.properties(true, false), new ContractJaxrsApplication().getProperties());
    assertFalse(new ContractJaxrsApplication().getProperties().containsKey("nimbus.auth.scope-rules"));
  }

  private static boolean has(WebArchive war, String path) {
    return war.contains(path);
  }

  private static String text(Element parent, String tag) {
    return parent.getElementsByTagName(tag).item(0).getTextContent();
  }
}
