package com.nimbusos.auth.api.keys;

import com.nimbusos.auth.api.PresentedKey;

/**
 * A key just created or rotated: the only moment its clear value exists. Show it to its owner once,
 * then drop it; {@link #toString()} never prints it.
 *
 * @param key the key in clear
 * @param record what the store keeps
 */
public record CreatedKey(String key, KeyRecord record) {

  @Override
  public String toString() {
    return "CreatedKey[key=" + PresentedKey.of(key).redacted() + ", record=" + record + "]";
  }
}
