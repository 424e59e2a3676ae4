package com.nimbusos.auth.api.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PropertySourceTest {

  @Test
  void aMapEntryWithoutAValueIsNotDefinedAndTheMapIsCopied() {
    Map<String, Object> properties = new HashMap<>(); // JAX-RS property maps may hold nulls
    properties.put("nimbus.auth.environment", "sandbox");
    properties.put("nimbus.auth.max-key-length", 128);
    properties.put("nimbus.auth.pepper", null);

    PropertySource source = PropertySource.of(properties);
    properties.put("nimbus.auth.environment", "production");

    assertEquals("sandbox", source.get("nimbus.auth.environment"), "a copy, not a view");
    assertEquals("128", source.get("nimbus.auth.max-key-length"));
    assertNull(source.get("nimbus.auth.pepper"));
    assertEquals(Set.of("nimbus.auth.environment", "nimbus.auth.max-key-length"), source.names());
  }
}
