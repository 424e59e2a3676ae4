package com.nimbusos.auth.it.containers;

import com.nimbusos.auth.contract.RawHttp;
import com.nimbusos.auth.contract.Reply;
import com.nimbusos.auth.it.routing.AuditProbe;
import com.nimbusos.auth.it.routing.Audited;
import com.nimbusos.auth.it.routing.RoutingCorpus;
import com.nimbusos.auth.it.routing.RoutingCorpusContract;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;

/**
 * The routing corpus over raw TLS sockets against Payara Micro 6 (EE 10), started as users start
 * it, with a {@link Wiring#routingWar()}: Micro's Grizzly and Jersey, as configured out of the box.
 * Like Payara Server, Grizzly answers an undecodable target, and at times one ending in a dot
 * segment, with an empty {@code 200} before any filter (payara/Payara#8000; {@link
 * PayaraGrizzly#answersItself}).
 */
abstract class PayaraMicroRouting extends RoutingCorpusContract {

  private static final HttpClient HTTPS =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .sslContext(PayaraMicro.TRUSTING_ANYTHING)
          .connectTimeout(Duration.ofSeconds(10))
          .build();

  private static PayaraMicro micro;

  /** Starts Micro; called by each subclass's {@code @BeforeAll}. */
  static void start(String name, WebArchive war) throws Exception {
    micro = PayaraMicro.startEe10(name, war);
  }

  @AfterAll
  static void stop() throws Exception {
    if (micro != null) {
      PayaraMicro started = micro;
      micro = null;
      started.stopAndCheckLog();
    }
  }

  private static URI base() {
    return URI.create("https://localhost:" + micro.httpsPort() + "/");
  }

  @Override
  protected boolean answeredBeforeNimbus(RoutingCorpus.Case c) {
    return PayaraGrizzly.answersItself(c.target());
  }

  @Override
  protected String host() {
    return "localhost:" + micro.httpsPort();
  }

  @Override
  protected Reply exchange(byte[] request, boolean head) throws IOException {
    return new RawHttp(base(), PayaraMicro.TRUSTING_ANYTHING).send(request, head);
  }

  @Override
  protected List<Audited> audit(String requestId) throws IOException {
    return new AuditProbe(HTTPS, base()).of(requestId);
  }
}
