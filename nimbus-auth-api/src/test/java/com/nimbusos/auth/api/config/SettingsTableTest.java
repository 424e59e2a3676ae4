package com.nimbusos.auth.api.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The one table of settings ({@link Setting}) is the truth: the reference in {@code
 * docs/configuration.md} is exactly its Markdown, {@link NimbusAuthConfig} reads exactly its names,
 * and its defaults and ranges are the ones a configuration really gets.
 */
class SettingsTableTest {

  private static final Path REFERENCE = Path.of("..", "docs", "configuration.md");
  private static final String START = "<!-- settings: generated from Setting.markdownTable() -->\n";
  private static final String END = "<!-- end of settings -->";

  /**
   * The reference page shows exactly the code's table: every setting, no other, the same defaults.
   * With {@code -Dnimbus.docs.write=true} the test rewrites the page's table instead of failing.
   */
  @Test
  void theReferencePageShowsTheCodesTable() throws IOException {
    String page = Files.readString(REFERENCE);
    int start = page.indexOf(START);
    int end = page.indexOf(END);
    assertTrue(
        start >= 0 && end > start,
        "docs/configuration.md lacks the markers " + START.strip() + " … " + END);
    String shown = page.substring(start + START.length(), end);
    String table = Setting.markdownTable();
    if (Boolean.getBoolean("nimbus.docs.write")) {
      Files.writeString(
          REFERENCE, page.substring(0, start + START.length()) + table + page.substring(end));
      return;
    }
    assertEquals(
        table,
        shown,
        "docs/configuration.md is out of date: run this test with -Dnimbus.docs.write=true");
  }

  /**
   * Every {@code nimbus.auth.*} constant of {@link NimbusAuthConfig} is a setting of the table, and
   * back.
   */
  @Test
  void theConfigurationsNamesAreTheTablesNames() throws IllegalAccessException {
    Set<String> constants = new TreeSet<>();
    for (Field field : NimbusAuthConfig.class.getFields()) {
      if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class) {
        String value = (String) field.get(null);
        if (value.startsWith(NimbusAuthConfig.PREFIX) && !value.equals(NimbusAuthConfig.PREFIX)) {
          constants.add(value);
        }
      }
    }
    Set<String> table =
        Arrays.stream(Setting.values())
            .map(Setting::key)
            .collect(Collectors.toCollection(TreeSet::new));
    assertEquals(table, constants);
    assertEquals(
        41, table.size(), "a setting was added or removed: update this count deliberately");
  }

  /**
   * A setting given its documented default yields the very configuration that leaving it out
   * yields: the documented default is the real one. (A sink named explicitly is remembered by name,
   * which the configuration remembers by name; the sink it chooses is compared.)
   */
  @Test
  void eachDocumentedDefaultIsTheDefault() throws Exception {
    int checked = 0;
    for (Setting setting : Setting.values()) {
      if (setting.defaultValue().isEmpty()) {
        continue;
      }
      Map<String, String> context = context(setting);
      Map<String, String> explicit = new LinkedHashMap<>(context);
      explicit.put(setting.key(), setting.defaultValue().get());
      Map<String, String> left = snapshot(load(context));
      Map<String, String> right = snapshot(load(explicit));
      left.remove("auditSink");
      right.remove("auditSink");
      assertEquals(
          left,
          right,
          setting.key()
              + "'s documented default "
              + setting.defaultValue().get()
              + " is not its default");
      checked++;
    }
    assertTrue(checked >= 24, "only " + checked + " defaults checked");
  }

  /**
   * Each numeric range is the one enforced: both bounds load (and change the configuration, so the
   * setting is read), one past either bound fails naming the setting and its bounds.
   */
  @Test
  void eachDocumentedRangeIsEnforced() throws Exception {
    int checked = 0;
    for (Setting setting : Setting.values()) {
      Setting.Range range = setting.range();
      if (!range.numeric()) {
        continue;
      }
      checked++;
      Map<String, String> context = context(setting);
      Map<String, String> withDefault = snapshot(load(context));
      for (long bound : new long[] {range.min(), range.max()}) {
        Map<String, String> values = new LinkedHashMap<>(context);
        values.put(setting.key(), Long.toString(bound));
        Map<String, String> loaded = snapshot(load(values));
        if (!Long.toString(bound).equals(setting.defaultValue().orElse(""))) {
          assertNotEquals(
              withDefault, loaded, setting.key() + "=" + bound + " changed nothing: is it read?");
        }
      }
      for (long outside : new long[] {range.min() - 1, range.max() + 1}) {
        if (range.zeroIsOff() && outside == 0) {
          continue;
        }
        Map<String, String> values = new LinkedHashMap<>(context);
        values.put(setting.key(), Long.toString(outside));
        ConfigurationException refused =
            assertThrows(
                ConfigurationException.class,
                () -> load(values),
                setting.key() + "=" + outside + " was accepted");
        assertEquals(setting.key(), refused.property());
        assertTrue(
            refused.getMessage().contains(bytesOrNumber(setting, range.min()))
                && refused.getMessage().contains(bytesOrNumber(setting, range.max())),
            refused.getMessage());
      }
    }
    assertTrue(checked >= 12, "only " + checked + " ranges checked");
  }

  @Test
  void everySettingIsDescribedAndTyped() {
    for (Setting setting : Setting.values()) {
      assertTrue(setting.description().length() > 20, setting.key());
      assertTrue(
          setting.key().matches("nimbus\\.auth\\.[a-z]+(-[a-z]+)*(\\.[a-z]+(-[a-z]+)*)?"),
          setting.key());
      assertTrue(
          setting.range().numeric()
              == (setting.type() == Setting.Type.INTEGER || setting.type() == Setting.Type.SIZE),
          setting.key() + ": numbers and only numbers have numeric ranges");
      assertEquals(Optional.of(setting), Setting.named(setting.key()));
    }
  }

  /** The audit trail names sizes in bytes; every other range is a plain number. */
  private static String bytesOrNumber(Setting setting, long value) {
    return setting == Setting.AUDIT_ROTATE_SIZE
        ? (value < 1 << 20 ? (value >> 10) + "k" : (value >> 30) + "g")
        : Long.toString(value);
  }

  /**
   * What a setting needs beside it to apply at all: an environment, a store, the sink it
   * configures.
   */
  private static Map<String, String> context(Setting setting) {
    Map<String, String> context = new LinkedHashMap<>();
    context.put(NimbusAuthConfig.ENVIRONMENT, "sandbox");
    String key = setting.key();
    if (key.startsWith(NimbusAuthConfig.STORE + ".")) {
      context.put(NimbusAuthConfig.STORE, "jdbc");
    }
    if (key.startsWith(NimbusAuthConfig.PREFIX + "audit.")
        && setting != Setting.AUDIT_SINK
        && setting != Setting.AUDIT_FAIL_CLOSED) {
      boolean jdbc = setting == Setting.AUDIT_NODE || setting == Setting.AUDIT_DATASOURCE;
      context.put(NimbusAuthConfig.AUDIT_SINK, jdbc ? "jdbc" : "file");
      context.put(NimbusAuthConfig.AUDIT_KEY, "k".repeat(32));
    }
    return context;
  }

  private static NimbusAuthConfig load(Map<String, String> values) {
    return NimbusAuthConfig.load(List.of(PropertySource.of(values)));
  }

  /** Everything a configuration's accessors say, as text, nested settings included. */
  private static Map<String, String> snapshot(Object config) throws Exception {
    Map<String, String> values = new TreeMap<>();
    for (Method method : config.getClass().getMethods()) {
      if (method.getParameterCount() != 0
          || method.getDeclaringClass() != config.getClass()
          || Modifier.isStatic(method.getModifiers())
          || Set.of("toString", "hashCode").contains(method.getName())) {
        continue;
      }
      Object value = method.invoke(config);
      if (value instanceof AuditTrailSettings trail) {
        snapshot(trail).forEach((name, text) -> values.put(method.getName() + "." + name, text));
      } else {
        values.put(method.getName(), text(value));
      }
    }
    return values;
  }

  private static String text(Object value) {
    if (value instanceof Optional<?> optional) {
      return optional.map(SettingsTableTest::text).orElse("(none)");
    }
    if (value instanceof byte[] bytes) {
      return HexFormat.of().formatHex(bytes);
    }
    if (value instanceof Collection<?> collection) {
      return collection.stream().map(String::valueOf).sorted().toList().toString();
    }
    if (value instanceof Map<?, ?> map) {
      return new TreeMap<>(
              map.entrySet().stream()
                  .collect(
                      Collectors.toMap(e -> String.valueOf(e.getKey()), e -> text(e.getValue()))))
          .toString();
    }
    return String.valueOf(value);
  }
}
