package com.nimbusos.auth.it.containers;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployer;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An unsafe configuration never reaches traffic: the {@link Wiring#WEB_XML} WAR with {@code
 * nimbus.auth.environment=production} and {@code nimbus.auth.require-https=false} (keys would
 * travel in clear, and no override says that is intended) fails its deployment in the real server,
 * and what the deployer reports names the property to fix.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
abstract class MisconfiguredDeployment {

  static final String NAME = "misconfigured";

  @ArquillianResource private Deployer deployer;

  /** The WEB_XML wiring's WAR, its filter configured for production over plain HTTP. */
  static WebArchive war() {
    Map<String, String> unsafe = new LinkedHashMap<>(Wiring.filterProperties());
    unsafe.put("nimbus.auth.environment", "production");
    unsafe.put("nimbus.auth.require-https", "false");
    WebArchive war = Wiring.WEB_XML.war();
    war.delete("/WEB-INF/web.xml");
    return war.setWebXML(new StringAsset(Wiring.webXml(unsafe)));
  }

  @Test
  void failsTheDeploymentNamingTheProperty() {
    Exception failure;
    try {
      failure =
          assertThrows(Exception.class, () -> deployer.deploy(NAME), "the unsafe WAR was deployed");
    } catch (AssertionError deployed) {
      deployer.undeploy(NAME); // or every later suite would meet this WAR at "/"
      throw deployed;
    }
    StringBuilder messages = new StringBuilder();
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      messages.append(cause).append('\n');
    }
    assertTrue(messages.toString().contains("nimbus.auth.require-https"), messages.toString());
  }
}
