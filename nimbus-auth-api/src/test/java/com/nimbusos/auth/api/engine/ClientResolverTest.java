package com.nimbusos.auth.api.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.nimbusos.auth.api.config.Cidr;
import com.nimbusos.auth.api.config.NimbusAuthConfig.ProxyHeader;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A trusted proxy writes one family of forwarding headers and passes the other on as the client
 * sent it: only the configured family may decide the client's address and scheme.
 */
class ClientResolverTest {

  private static final List<Cidr> PROXY = List.of(Cidr.parse("10.0.0.0/8"));

  /** Behind the proxy at 10.1.2.3, which connected to us over plain HTTP. */
  private static FakeRequest viaProxy() {
    return FakeRequest.get("/o").insecure().from("10.1.2.3");
  }

  @Test
  void byDefaultBelievesXForwardedForAndIgnoresAForgedForwarded() {
    ClientResolver resolver = new ClientResolver(PROXY, ProxyHeader.X_FORWARDED_FOR);
    FakeRequest request =
        viaProxy()
            .header("Forwarded", "for=198.51.100.66;proto=https") // the client's
            .header("X-Forwarded-For", "203.0.113.5") // the proxy's
            .header("X-Forwarded-Proto", "http");
    assertEquals(new ClientResolver.Client("203.0.113.5", false), resolver.resolve(request));
  }

  @Test
  void byDefaultIgnoresAForgedForwardedProtoWhenTheProxySetsNoScheme() {
    ClientResolver resolver = new ClientResolver(PROXY, ProxyHeader.X_FORWARDED_FOR);
    FakeRequest request =
        viaProxy()
            .header("Forwarded", "for=198.51.100.66;proto=https")
            .header("X-Forwarded-For", "203.0.113.5");
    assertEquals(new ClientResolver.Client("203.0.113.5", false), resolver.resolve(request));
  }

  @Test
  void withForwardedBelievesForwardedAndIgnoresForgedXForwardedHeaders() {
    ClientResolver resolver = new ClientResolver(PROXY, ProxyHeader.FORWARDED);
    FakeRequest request =
        viaProxy()
            .header("X-Forwarded-For", "198.51.100.66") // the client's
            .header("X-Forwarded-Proto", "https") // the client's
            .header("Forwarded", "for=203.0.113.5;proto=http"); // the proxy's
    assertEquals(new ClientResolver.Client("203.0.113.5", false), resolver.resolve(request));
  }

  @Test
  void withForwardedWithoutProtoKeepsTheConnectionsSchemeDespiteAForgedXForwardedProto() {
    ClientResolver resolver = new ClientResolver(PROXY, ProxyHeader.FORWARDED);
    FakeRequest request =
        viaProxy().header("Forwarded", "for=203.0.113.5").header("X-Forwarded-Proto", "https");
    assertEquals(new ClientResolver.Client("203.0.113.5", false), resolver.resolve(request));
  }

  @Test
  void withForwardedAndNoForwardedHeaderTheProxyIsTheClientWhateverXForwardedForSays() {
    ClientResolver resolver = new ClientResolver(PROXY, ProxyHeader.FORWARDED);
    FakeRequest request = viaProxy().header("X-Forwarded-For", "198.51.100.66");
    assertEquals(new ClientResolver.Client("10.1.2.3", false), resolver.resolve(request));
  }

  @Test
  void ignoresTheConfiguredFamilyTooFromAnUntrustedPeer() {
    FakeRequest direct =
        FakeRequest.get("/o")
            .insecure()
            .from("192.0.2.99")
            .header("Forwarded", "for=203.0.113.5;proto=https")
            .header("X-Forwarded-For", "203.0.113.5")
            .header("X-Forwarded-Proto", "https");
    for (ProxyHeader header : ProxyHeader.values()) {
      assertEquals(
          new ClientResolver.Client("192.0.2.99", false),
          new ClientResolver(PROXY, header).resolve(direct),
          header.toString());
    }
  }

  @Test
  void anEmptyLastXForwardedProtoElementIsNotHttpsAndDoesNotThrow() {
    ClientResolver resolver = new ClientResolver(PROXY, ProxyHeader.X_FORWARDED_FOR);
    // "," has no element at all for String.split(",") without a limit: reading its last one threw.
    assertEquals(
        new ClientResolver.Client("203.0.113.5", false),
        resolver.resolve(
            viaProxy().header("X-Forwarded-For", "203.0.113.5").header("X-Forwarded-Proto", ",")));
    assertEquals(
        new ClientResolver.Client("203.0.113.5", false),
        resolver.resolve(
            viaProxy()
                .header("X-Forwarded-For", "203.0.113.5")
                .header("X-Forwarded-Proto", "https,")));
  }

  @Test
  void aTrailingEmptyXForwardedForHopStopsAtTheProxyInsteadOfSkippingToTheHopBeforeIt() {
    ClientResolver resolver = new ClientResolver(PROXY, ProxyHeader.X_FORWARDED_FOR);
    FakeRequest request = viaProxy().header("X-Forwarded-For", "203.0.113.5,");
    assertEquals(new ClientResolver.Client("10.1.2.3", false), resolver.resolve(request));
  }
}
