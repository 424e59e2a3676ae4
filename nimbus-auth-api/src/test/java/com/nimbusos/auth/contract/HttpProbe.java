package com.nimbusos.auth.contract;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/** Sends requests to an app under test over real HTTP and reads whole {@link Reply replies}. */
public final class HttpProbe {

  private static final HttpClient PLAIN =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(10))
          .build();

  private final Supplier<URI> baseUri;
  private final Supplier<HttpClient> client;
  private final BiConsumer<HttpRequest, Reply> observer;

  /**
   * @param baseUri where the app listens, ending in {@code /}
   * @param client the client to send with (one that trusts the server's certificate, for HTTPS)
   */
  public HttpProbe(Supplier<URI> baseUri, Supplier<HttpClient> client) {
    this(baseUri, client, (request, reply) -> {});
  }

  /**
   * @param observer told of every exchange, e.g. to check afterwards that each reply's request id
   *     was audited
   */
  public HttpProbe(
      Supplier<URI> baseUri, Supplier<HttpClient> client, BiConsumer<HttpRequest, Reply> observer) {
    this.baseUri = baseUri;
    this.client = client;
    this.observer = observer;
  }

  /** A probe with a plain HTTP/1.1 client. */
  public static HttpProbe plain(Supplier<URI> baseUri) {
    return new HttpProbe(baseUri, () -> PLAIN);
  }

  /** A GET of {@code path}, relative to the base URI. */
  public HttpRequest.Builder get(String path) {
    return HttpRequest.newBuilder(baseUri.get().resolve(path))
        .timeout(Duration.ofSeconds(30))
        .GET();
  }

  /** A POST of {@code body} to {@code path}. */
  public HttpRequest.Builder post(String path, String body) {
    return HttpRequest.newBuilder(baseUri.get().resolve(path))
        .timeout(Duration.ofSeconds(30))
        .POST(HttpRequest.BodyPublishers.ofString(body));
  }

  /** Sends a request and reads the whole reply. */
  public Reply send(HttpRequest.Builder request) {
    try {
      HttpRequest built = request.build();
      HttpResponse<String> response =
          client.get().send(built, HttpResponse.BodyHandlers.ofString());
      Reply reply = new Reply(response.statusCode(), response.headers().map(), response.body());
      observer.accept(built, reply);
      return reply;
    } catch (IOException e) {
      throw new AssertionError("request failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }
}
