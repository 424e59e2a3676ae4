package com.nimbusos.auth.api.engine;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A request for engine tests. */
record FakeRequest(
    String method,
    String path,
    Map<String, List<String>> headers,
    boolean isSecure,
    String remoteAddress)
    implements AuthRequest {

  static FakeRequest get(String path, String... keys) {
    return new FakeRequest(
        "GET",
        path,
        keys.length == 0 ? Map.of() : Map.of(NimbusHeaders.API_KEY, List.of(keys)),
        true,
        "192.0.2.10");
  }

  FakeRequest insecure() {
    return new FakeRequest(method, path, headers, false, remoteAddress);
  }

  FakeRequest method(String newMethod) {
    return new FakeRequest(newMethod, path, headers, isSecure, remoteAddress);
  }

  FakeRequest from(String address) {
    return new FakeRequest(method, path, headers, isSecure, address);
  }

  FakeRequest header(String name, String... values) {
    Map<String, List<String>> copy = new HashMap<>(headers);
    copy.put(name, List.of(values));
    return new FakeRequest(method, path, copy, isSecure, remoteAddress);
  }

  /** The path as sent: fake requests are decoded already, as the container would have them. */
  @Override
  public String rawPath() {
    return path;
  }

  @Override
  public String basePath() {
    return "";
  }

  @Override
  public List<String> headerValues(String name) {
    for (Map.Entry<String, List<String>> header : headers.entrySet()) {
      if (header.getKey().equalsIgnoreCase(name)) {
        return header.getValue();
      }
    }
    return List.of();
  }
}
