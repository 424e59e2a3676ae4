package com.nimbusos.auth.api.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RequestIdsTest {

  @Test
  void carries96RandomBitsAfterThePrefix() {
    String id = RequestIds.next();
    assertTrue(id.matches("req_[0-9a-f]{24}"), id);
  }

  @Test
  void doesNotRepeat() {
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < 100_000; i++) {
      ids.add(RequestIds.next());
    }
    assertEquals(100_000, ids.size());
  }
}
