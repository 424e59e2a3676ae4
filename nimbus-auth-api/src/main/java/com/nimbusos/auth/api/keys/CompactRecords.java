package com.nimbusos.auth.api.keys;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The records of an {@link InMemoryKeyStore}, in three tiers, newest first: the last few thousand
 * records put, as objects; the records put since the last full compaction, compacted into a small
 * {@link IndexedRecords}; and the rest, compacted into a large one. A record as an object costs
 * about 500 bytes (its strings, hash, instants and two map entries), compacted about 90: with a
 * million keys, the sixteenth of them put since a full compaction held 27 MB as objects, and holds
 * about 6 MB in the middle tier. The objects are compacted into the middle tier when there are more
 * than {@code objectLimit}, at a cost proportional to that tier; everything is compacted into one
 * tier when the middle one exceeds a sixteenth of the large one, so each full rebuild is paid for
 * by as many puts as a sixteenth of it. A lookup asks the tiers newest first; a record replaced is
 * marked shadowed in its tier. Records are listed in the order they were first put. Not
 * thread-safe: the store's lock guards it.
 */
final class CompactRecords {

  /** The most records kept as objects, and the least a full compaction waits for. */
  static final int OBJECT_LIMIT = 4096;

  private final int objectLimit;

  private IndexedRecords base = IndexedRecords.empty();

  /** Records put since the last full compaction, but not since the last compaction of this tier. */
  private IndexedRecords recent = IndexedRecords.empty();

  /** Records put since the last compaction of either tier, by id, in the order first put. */
  private final LinkedHashMap<String, KeyRecord> changed = new LinkedHashMap<>();

  private final Map<HashKey, KeyRecord> changedByHash = new HashMap<>();
  private int size;

  CompactRecords() {
    this(OBJECT_LIMIT);
  }

  /** With a smaller {@code objectLimit}, for tests that pass through every tier. */
  CompactRecords(int objectLimit) {
    this.objectLimit = objectLimit;
  }

  int size() {
    return size;
  }

  KeyRecord byId(String keyId) {
    KeyRecord record = changed.get(keyId);
    if (record != null) {
      return record;
    }
    int position = recent.livePositionOfId(keyId);
    if (position >= 0) {
      return recent.recordAt(position);
    }
    position = base.livePositionOfId(keyId);
    return position < 0 ? null : base.recordAt(position);
  }

  KeyRecord byHash(byte[] hash) {
    return findByHash(hash, record -> record, IndexedRecords::recordAt);
  }

  /**
   * The key with this hash as a validator caches it, or null: a compacted key is made without a
   * record (see {@link CompactKeyIndex#knownKeyAt}); {@link KnownKey#RECORDED_RECENTLY} if a use at
   * or after {@code usedSinceNanos} (epoch nanoseconds) is noted.
   */
  KnownKey knownKeyByHash(byte[] hash, long usedSinceNanos) {
    return findByHash(
        hash,
        record -> {
          KnownKey key = KnownKey.of(record);
          Instant use = record.lastUsedAt();
          if (use != null && CompactKeyIndex.epochNanos(use) >= usedSinceNanos) {
            key.notedInBatch = KnownKey.RECORDED_RECENTLY;
          }
          return key;
        },
        (tier, position) -> tier.knownKeyAt(position, usedSinceNanos));
  }

  /** The tiers asked newest first; the first that holds the hash, not replaced, answers. */
  private <T> T findByHash(byte[] hash, Function<KeyRecord, T> fromRecord, TierRead<T> fromTier) {
    if (!changedByHash.isEmpty()) {
      KeyRecord record = changedByHash.get(new HashKey(hash));
      if (record != null) {
        return fromRecord.apply(record);
      }
    }
    if (recent.size() > 0) {
      int position = recent.livePositionOfHash(hash);
      if (position >= 0) {
        return fromTier.read(recent, position);
      }
    }
    int position = base.livePositionOfHash(hash);
    return position < 0 ? null : fromTier.read(base, position);
  }

  /** Reads what a tier holds at a position (no boxing of the position). */
  @FunctionalInterface
  private interface TierRead<T> {
    T read(IndexedRecords tier, int position);
  }

  boolean containsHash(byte[] hash) {
    return byHash(hash) != null;
  }

  /** Adds the record, or replaces the one with its id (whose hash is then forgotten). */
  void put(KeyRecord record) {
    String id = record.keyId();
    KeyRecord old = changed.get(id);
    if (old != null) {
      changedByHash.remove(new HashKey(old.hashBytes()));
    } else if (!shadowLive(recent, id) && !shadowLive(base, id)) {
      size++;
    }
    changed.put(id, record);
    changedByHash.put(new HashKey(record.hashBytes()), record);
    if (changed.size() > objectLimit) {
      if (recent.size() + changed.size() > Math.max(objectLimit, base.size() / 16)) {
        replaceAll(values());
      } else {
        recent = IndexedRecords.of(recentValues());
        changed.clear();
        changedByHash.clear();
      }
    }
  }

  private static boolean shadowLive(IndexedRecords tier, String keyId) {
    int position = tier.livePositionOfId(keyId);
    if (position < 0) {
      return false;
    }
    tier.shadow(position);
    return true;
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
    return usedAt(recent, keyId, when) || usedAt(base, keyId, when);
  }

  /**
   * {@link #usedAt} where it can run under the store's read lock, beside lookups: a key frozen in a
   * tier, its use a number that fits in nanoseconds. False, with nothing changed, for the rest (a
   * key changed since the last compaction, an odd instant, no such key), which {@link #usedAt}
   * takes under the write lock.
   */
  boolean usedAtSharing(String keyId, Instant when) {
    if (!changed.isEmpty() && changed.containsKey(keyId)) {
      return false;
    }
    return (recent.size() > 0 && recent.usedAtSharing(keyId, when))
        || base.usedAtSharing(keyId, when);
  }

  /**
   * {@link #usedAtSharing(String, Instant)} for the key with this hash, the use in epoch
   * nanoseconds: false if it has none here or it changed since the last compaction.
   */
  boolean usedAtSharingByHash(byte[] hash, long nanos) {
    if (!changedByHash.isEmpty() && changedByHash.containsKey(new HashKey(hash))) {
      return false;
    }
    if (recent.size() > 0) {
      int position = recent.livePositionOfHash(hash);
      if (position >= 0) {
        return recent.usedAtSharing(position, nanos);
      }
    }
    int position = base.livePositionOfHash(hash);
    return position >= 0 && base.usedAtSharing(position, nanos);
  }

  private static boolean usedAt(IndexedRecords tier, String keyId, Instant when) {
    int position = tier.livePositionOfId(keyId);
    if (position < 0) {
      return false;
    }
    tier.usedAt(position, when); // a number beside the index: no record made
    return true;
  }

  /** Every record, in the order first put. */
  List<KeyRecord> values() {
    List<KeyRecord> all = new ArrayList<>(size);
    // ids whose newest version was listed where their first version stood
    Set<String> listed = new HashSet<>();
    for (int n = 0; n < base.size(); n++) {
      int position = base.positionListed(n);
      if (base.isShadowed(position)) {
        String id = base.idAt(position);
        all.add(newerThanBase(id));
        listed.add(id);
      } else {
        all.add(base.recordAt(position));
      }
    }
    for (int n = 0; n < recent.size(); n++) {
      int position = recent.positionListed(n);
      String id = recent.idAt(position);
      if (listed.contains(id)) {
        continue;
      }
      if (recent.isShadowed(position)) {
        all.add(changed.get(id));
        listed.add(id);
      } else {
        all.add(recent.recordAt(position));
      }
    }
    for (KeyRecord record : changed.values()) {
      if (!listed.contains(record.keyId())) {
        all.add(record);
      }
    }
    return all;
  }

  private KeyRecord newerThanBase(String keyId) {
    KeyRecord record = changed.get(keyId);
    return record != null ? record : recent.recordAt(recent.livePositionOfId(keyId));
  }

  /**
   * The middle tier's records with the objects merged in: its own in its order (a replaced one as
   * its newer version), then the objects new to it, in the order first put.
   */
  private List<KeyRecord> recentValues() {
    List<KeyRecord> merged = new ArrayList<>(recent.size() + changed.size());
    for (int n = 0; n < recent.size(); n++) {
      int position = recent.positionListed(n);
      merged.add(
          recent.isShadowed(position)
              ? changed.get(recent.idAt(position))
              : recent.recordAt(position));
    }
    for (KeyRecord record : changed.values()) {
      if (recent.positionOfId(record.keyId()) < 0) {
        merged.add(record);
      }
    }
    return merged;
  }

  /** Replaces everything by {@code records} (in that order), compacted. */
  void replaceAll(List<KeyRecord> records) {
    base = IndexedRecords.of(records);
    recent = IndexedRecords.empty();
    changed.clear();
    changedByHash.clear();
    size = records.size();
  }
}
