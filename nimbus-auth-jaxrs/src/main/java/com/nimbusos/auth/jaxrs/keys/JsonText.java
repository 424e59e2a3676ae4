package com.nimbusos.auth.jaxrs.keys;

import com.nimbusos.auth.api.internal.Json;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Compact JSON for the management API's answers, written here rather than by the application's JSON
 * provider, so that every runtime (JSON-B, Jackson, none) answers byte for byte alike.
 */
final class JsonText {

  private JsonText() {}

  /** Maps (in their order), lists, strings, whole numbers, booleans and nulls, on one line. */
  static String write(Object value) {
    StringBuilder out = new StringBuilder(256);
    write(value, out);
    return out.toString();
  }

  private static void write(Object value, StringBuilder out) {
    if (value == null) {
      out.append("null");
    } else if (value instanceof String text) {
      Json.quote(text, out);
    } else if (value instanceof Long || value instanceof Integer || value instanceof Boolean) {
      out.append(value);
    } else if (value instanceof Map<?, ?> map) {
      out.append('{');
      Iterator<? extends Map.Entry<?, ?>> entries = map.entrySet().iterator();
      while (entries.hasNext()) {
        Map.Entry<?, ?> entry = entries.next();
        Json.quote(String.valueOf(entry.getKey()), out);
        out.append(':');
        write(entry.getValue(), out);
        if (entries.hasNext()) {
          out.append(',');
        }
      }
      out.append('}');
    } else if (value instanceof List<?> list) {
      out.append('[');
      for (int i = 0; i < list.size(); i++) {
        if (i > 0) {
          out.append(',');
        }
        write(list.get(i), out);
      }
      out.append(']');
    } else {
      throw new IllegalArgumentException("cannot write " + value.getClass().getName() + " as JSON");
    }
  }
}
