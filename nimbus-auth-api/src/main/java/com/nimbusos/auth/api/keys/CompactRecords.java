package com.nimbusos.auth.api.keys;

import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The records of an {@link InMemoryKeyStore}: a {@link CompactKeyIndex} of the records as of the
 * last compaction (no object per key), plus the few records inserted or changed since, as objects.
 * When those exceed a sixteenth of the index (and a few thousand), everything is compacted into a
 * new index. Last use, written for every key in use every few seconds, is kept beside the index in
 * a {@code long[]}: it changes no record and costs no object. Records are listed in the order they
 * were first put. Not thread-safe: the store's lock guards it.
 */
final class CompactRecords {

  private static final int MIN_COMPACTION = 4096;
  private static final long NONE = Long.MIN_VALUE;

  private CompactKeyIndex base = CompactKeyIndex.of(List.of());

  /** Last use of each indexed record, by position: epoch nanoseconds, or {@link #NONE}. */
  private long[] lastUsed = new long[0];

  /** Last uses beyond what nanoseconds in a long hold (before 1677, after 2262), by position. */
  private final Map<Integer, Instant> oddLastUsed = new HashMap<>();

  /** Indexed records replaced by a newer version in {@link #changed}. */
  private BitSet shadowed = new BitSet();

  /** Records put since the compaction, by id, in the order first put. */
  private final LinkedHashMap<String, KeyRecord> changed = new LinkedHashMap<>();

  private final Map<HashKey, KeyRecord> changedByHash = new HashMap<>();
  private int size;

  int size() {
    return size;
  }

  KeyRecord byId(String keyId) {
    KeyRecord record = changed.get(keyId);
    if (record != null) {
      return record;
    }
    int position = base.positionOfId(keyId);
    return position < 0 || shadowed.get(position) ? null : indexed(position);
  }

  KeyRecord byHash(byte[] hash) {
    if (!changedByHash.isEmpty()) {
      KeyRecord record = changedByHash.get(new HashKey(hash));
      if (record != null) {
        return record;
      }
    }
    int position = base.positionOf(hash);
    return position < 0 || shadowed.get(position) ? null : indexed(position);
  }

  boolean containsHash(byte[] hash) {
    return byHash(hash) != null;
  }

  /** Adds the record, or replaces the one with its id (whose hash is then forgotten). */
  void put(KeyRecord record) {
    KeyRecord old = changed.get(record.keyId());
    if (old != null) {
      changedByHash.remove(new HashKey(old.hashBytes()));
    } else {
      int position = base.positionOfId(record.keyId());
      if (position >= 0 && !shadowed.get(position)) {
        shadowed.set(position);
      } else {
        size++;
      }
    }
    changed.put(record.keyId(), record);
    changedByHash.put(new HashKey(record.hashBytes()), record);
    if (changed.size() > Math.max(MIN_COMPACTION, base.size() / 16)) {
      replaceAll(values());
    }
  }

  /**
   * Notes a use of the key with this id, if later than the one noted; false if there is no such
   * key.
   */
  boolean usedAt(String keyId, Instant when) {
    KeyRecord record = changed.get(keyId);
    if (record != null) {
      if (record.lastUsedAt() == null || record.lastUsedAt().isBefore(when)) {
        KeyRecord used = record.usedAt(when);
        changed.put(keyId, used);
        changedByHash.put(new HashKey(used.hashBytes()), used);
      }
      return true;
    }
    int position = base.positionOfId(keyId);
    if (position < 0 || shadowed.get(position)) {
      return false;
    }
    Instant noted = lastUsedAt(position);
    if (noted == null || noted.isBefore(when)) {
      long nanos = nanos(when);
      lastUsed[position] = nanos;
      if (nanos == NONE) {
        oddLastUsed.put(position, when);
      } else {
        oddLastUsed.remove(position);
      }
    }
    return true;
  }

  /** Every record, in the order first put. */
  List<KeyRecord> values() {
    List<KeyRecord> all = new ArrayList<>(size);
    Set<String> listed = shadowed.isEmpty() ? Set.of() : new HashSet<>();
    for (int n = 0; n < base.size(); n++) {
      int position = base.positionAdded(n);
      if (shadowed.get(position)) {
        String id = base.idAt(position);
        all.add(changed.get(id)); // the newer version, where the first stood
        listed.add(id);
      } else {
        all.add(indexed(position));
      }
    }
    for (KeyRecord record : changed.values()) {
      if (!listed.contains(record.keyId())) {
        all.add(record);
      }
    }
    return all;
  }

  /** Replaces everything by {@code records} (in that order), compacted. */
  void replaceAll(List<KeyRecord> records) {
    CompactKeyIndex.Builder builder = CompactKeyIndex.builder(records.size());
    long[] uses = new long[records.size()];
    Map<Integer, Instant> oddUses = new HashMap<>();
    for (int n = 0; n < records.size(); n++) {
      KeyRecord record = records.get(n);
      Instant use = record.lastUsedAt();
      builder.add(use == null ? record : record.usedAt(null));
      uses[n] = use == null ? NONE : nanos(use);
      if (use != null && uses[n] == NONE) {
        oddUses.put(n, use);
      }
    }
    CompactKeyIndex index = builder.build();
    long[] byPosition = new long[records.size()];
    oddLastUsed.clear();
    for (int n = 0; n < records.size(); n++) {
      int position = index.positionAdded(n);
      byPosition[position] = uses[n];
      if (oddUses.containsKey(n)) {
        oddLastUsed.put(position, oddUses.get(n));
      }
    }
    base = index;
    lastUsed = byPosition;
    shadowed = new BitSet();
    changed.clear();
    changedByHash.clear();
    size = records.size();
  }

  private KeyRecord indexed(int position) {
    return base.recordAt(position, lastUsedAt(position));
  }

  private Instant lastUsedAt(int position) {
    long nanos = lastUsed[position];
    if (nanos == NONE) {
      return oddLastUsed.get(position);
    }
    return Instant.ofEpochSecond(
        Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
  }

  private static long nanos(Instant instant) {
    try {
      long value =
          Math.addExact(
              Math.multiplyExact(instant.getEpochSecond(), 1_000_000_000L), instant.getNano());
      return value == NONE ? NONE : value;
    } catch (ArithmeticException e) {
      return NONE;
    }
  }
}
