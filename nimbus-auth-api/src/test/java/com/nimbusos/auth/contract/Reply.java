package com.nimbusos.auth.contract;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * An HTTP reply as the contract compares it.
 *
 * @param status the status code
 * @param headers the headers, names lower-case
 * @param body the body
 */
public record Reply(int status, Map<String, List<String>> headers, String body) {

  /** Normalises header names to lower case, dropping the pseudo-header some clients report. */
  public Reply {
    Map<String, List<String>> lower = new TreeMap<>();
    headers.forEach(
        (name, values) -> {
          if (name != null && !name.startsWith(":")) {
            lower
                .computeIfAbsent(
                    name.toLowerCase(java.util.Locale.ROOT), k -> new java.util.ArrayList<>())
                .addAll(values);
          }
        });
    headers = lower;
  }

  /** The single value of header {@code name}; fails if it occurs more than once. */
  public Optional<String> header(String name) {
    List<String> values = headers.get(name.toLowerCase(java.util.Locale.ROOT));
    if (values == null || values.isEmpty()) {
      return Optional.empty();
    }
    if (values.size() > 1) {
      throw new AssertionError("header " + name + " occurs " + values.size() + " times: " + this);
    }
    return Optional.of(values.get(0));
  }

  /**
   * The status, the headers the contract governs and the body, with the request id blanked out, to
   * show that two replies differ in nothing else. Date and the like are left out.
   */
  public String withoutRequestId() {
    StringBuilder text = new StringBuilder().append(status);
    for (String name :
        List.of("content-type", "cache-control", "www-authenticate", "content-length")) {
      text.append('\n').append(name).append(": ").append(headers.get(name));
    }
    return text.append('\n').append(body).toString().replaceAll("req_[0-9a-f]{24}", "req_*");
  }
}
