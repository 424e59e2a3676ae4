package com.nimbusos.auth.api.keys;

import com.nimbusos.auth.api.ValidationResult;

/**
 * A known key as a {@link StoreKeyValidator} caches it: the record, and the verdict it earns when
 * nothing refuses it, made once. The principal and the result are immutable, so every request of
 * the key shares them and a valid key costs no allocation.
 */
final class KnownKey {

  final KeyRecord record;
  final ValidationResult.Valid valid;

  /**
   * The last-use batch in which this key's use was noted ({@link LastUseBatcher}): a request of a
   * key already noted costs no map access at all. A plain field: a lost update only notes the use
   * twice.
   */
  int notedInBatch = -1;

  KnownKey(KeyRecord record) {
    this.record = record;
    this.valid = new ValidationResult.Valid(record.principal());
  }

  /** Never the hash. */
  @Override
  public String toString() {
    return "KnownKey[" + record.keyId() + "]";
  }
}
