package com.nimbusos.auth.it.containers;

import java.nio.file.Files;
import java.nio.file.Path;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeAll;

/**
 * The contract on Payara Micro 7 (Jakarta EE 11), which needs Java 21 or later: it runs on the
 * Temurin 25 JDK these machines carry ({@code it.micro.ee11.java}), while the library stays built
 * for Java 17 / EE 10.
 */
class PayaraMicroEe11IT extends PayaraMicroContract {

  @BeforeAll
  static void startMicro() throws Exception {
    String java = TestTls.requiredProperty("it.micro.ee11.java");
    if (!Files.isExecutable(Path.of(java))) {
      throw new IllegalStateException(
          "no Java 21+ at " + java + ": set -Dit.micro.ee11.java to a JDK 21+ java");
    }
    // Payara 7 checks JAX-RS @RolesAllowed through Jakarta Security, which does not see the servlet
    // filter's
    // caller: its own check is switched off, as for the JAX-RS wiring; the filter's scope rules
    // decide.
    WebArchive war = Wiring.WEB_XML.war();
    war.delete("/WEB-INF/glassfish-web.xml");
    war.addAsWebInfResource("war/glassfish-web-jaxrs.xml", "glassfish-web.xml");
    start("payara-micro-ee11.jar", java, "micro-ee11", war);
  }
}
