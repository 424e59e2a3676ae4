package com.nimbusos.auth.api.engine;

import java.util.List;

/** A request for engine tests. */
record FakeRequest(String method, String path, List<String> keys, boolean isSecure) implements AuthRequest {

  static FakeRequest get(String path, String... keys) {
    return new FakeRequest("GET", path, List.of(keys), true);
  }

  FakeRequest insecure() {
    return new FakeRequest(method, path, keys, false);
  }

  FakeRequest method(String newMethod) {
    return new FakeRequest(newMethod, path, keys, isSecure);
  }

  @Override
  public List<String> headerValues(String name) {
    return name.equals(NimbusHeaders.API_KEY) ? keys : List.of();
  }
}
