package com.nimbusos.auth.it.containers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.nimbusos.auth.contract.ApiKeyContract;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The contract on Payara Micro, started as users start it ({@code java -jar payara-micro.jar
 * --deploy …}), with the {@link Wiring#WEB_XML} WAR, over HTTPS on Micro's own listener. Subclasses
 * pick the Micro release and the JDK: Micro 6 (EE 10) on this JDK, Micro 7 (EE 11) on Java 25,
 * which shows the jars built for Java 17 / EE 10 also run on EE 11.
 */
abstract class PayaraMicroContract extends ApiKeyContract {

  private static PayaraMicro micro;

  private static final HttpClient HTTPS =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .sslContext(PayaraMicro.TRUSTING_ANYTHING)
          .connectTimeout(Duration.ofSeconds(10))
          .build();

  /** Starts Micro; called by each subclass's {@code @BeforeAll}. */
  static void start(String jar, String java, String name, WebArchive archive) throws Exception {
    micro = PayaraMicro.start(jar, java, name, archive);
  }

  /**
   * Stops Micro, then reads everything it logged: no fixture key and no key's full hash may be
   * there.
   */
  @AfterAll
  static void stop() throws Exception {
    if (micro != null) {
      PayaraMicro started = micro;
      micro = null;
      started.stopAndCheckLog();
    }
  }

  @Override
  protected URI baseUri() {
    return URI.create("https://localhost:" + micro.httpsPort() + "/");
  }

  @Override
  protected HttpClient client() {
    return HTTPS;
  }

  @Test
  void deployedWithoutErrors() throws IOException {
    String output = Files.readString(micro.log(), StandardCharsets.UTF_8);
    assertEquals(
        -1,
        output.indexOf("Exception while loading the app"),
        "deployment failed, see " + micro.log());
  }
}
