package com.nimbusos.auth.api.keys;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Instant;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One tier of {@link CompactRecords}: records frozen into a {@link CompactKeyIndex}, with what may
 * change about them without a rebuild. Last use, written for every key in use every few seconds, is
 * a {@code long[]} beside the index; a record replaced since is marked shadowed, and its newer
 * version lives in a later tier. Not thread-safe: the store's lock guards it, except that {@link
 * #usedAtSharing} may run under its read lock, beside readers and other such writes.
 */
final class IndexedRecords {

  private static final long NONE = CompactKeyIndex.NO_NANOS;

  /** {@link #lastUsed}'s elements, for the writes made under the store's read lock. */
  private static final VarHandle LAST_USED = MethodHandles.arrayElementVarHandle(long[].class);

  private final CompactKeyIndex index;

  /** Last use of each record, by position: epoch nanoseconds, or {@link #NONE}. */
  private final long[] lastUsed;

  /** Last uses beyond what nanoseconds in a long hold (before 1677, after 2262), by position. */
  private final Map<Integer, Instant> oddLastUsed;

  /** Records replaced by a newer version in a later tier. */
  private final BitSet shadowed = new BitSet();

  private IndexedRecords(CompactKeyIndex index, long[] lastUsed, Map<Integer, Instant> odd) {
    this.index = index;
    this.lastUsed = lastUsed;
    this.oddLastUsed = odd;
  }

  static IndexedRecords empty() {
    return of(List.of());
  }

  /** {@code records} compacted, listed later in this order. */
  static IndexedRecords of(List<KeyRecord> records) {
    CompactKeyIndex.Builder builder = CompactKeyIndex.builder(records.size());
    long[] uses = new long[records.size()];
    Map<Integer, Instant> oddUses = new HashMap<>();
    for (int n = 0; n < records.size(); n++) {
      KeyRecord record = records.get(n);
      Instant use = record.lastUsedAt();
      builder.add(use == null ? record : record.usedAt(null));
      uses[n] = use == null ? NONE : CompactKeyIndex.epochNanos(use);
      if (use != null && uses[n] == NONE) {
        oddUses.put(n, use);
      }
    }
    CompactKeyIndex index = builder.build();
    long[] byPosition = new long[records.size()];
    Map<Integer, Instant> odd = new HashMap<>();
    for (int n = 0; n < records.size(); n++) {
      int position = index.positionAdded(n);
      byPosition[position] = uses[n];
      if (oddUses.containsKey(n)) {
        odd.put(position, oddUses.get(n));
      }
    }
    return new IndexedRecords(index, byPosition, odd);
  }

  /** How many records, shadowed ones included. */
  int size() {
    return index.size();
  }

  /** The position of the record with this id, shadowed or not, or -1. */
  int positionOfId(String keyId) {
    return index.positionOfId(keyId);
  }

  /** The position of the record with this id, or -1 if there is none or it was replaced. */
  int livePositionOfId(String keyId) {
    int position = index.positionOfId(keyId);
    return position < 0 || shadowed.get(position) ? -1 : position;
  }

  /** The position of the record with this hash, or -1 if there is none or it was replaced. */
  int livePositionOfHash(byte[] hash) {
    int position = index.positionOf(hash);
    return position < 0 || shadowed.get(position) ? -1 : position;
  }

  /** The position of the record listed {@code n}th. */
  int positionListed(int n) {
    return index.positionAdded(n);
  }

  boolean isShadowed(int position) {
    return shadowed.get(position);
  }

  /** Marks the record at {@code position} replaced by a newer version in a later tier. */
  void shadow(int position) {
    shadowed.set(position);
  }

  String idAt(int position) {
    return index.idAt(position);
  }

  /** The record at a position, made now. */
  KeyRecord recordAt(int position) {
    return index.recordAt(position, lastUsedAt(position));
  }

  /**
   * The key at a position as a validator caches it, made without a record; {@link
   * KnownKey#RECORDED_RECENTLY} if its last use noted is at or after {@code usedSinceNanos}.
   */
  KnownKey knownKeyAt(int position, long usedSinceNanos) {
    KnownKey key = index.knownKeyAt(position);
    if ((long) LAST_USED.getOpaque(lastUsed, position) >= usedSinceNanos) {
      key.notedInBatch = KnownKey.RECORDED_RECENTLY;
    }
    return key;
  }

  /** Notes a use of the record at {@code position}, if later than the one noted. */
  void usedAt(int position, Instant when) {
    Instant noted = lastUsedAt(position);
    if (noted == null || noted.isBefore(when)) {
      long nanos = CompactKeyIndex.epochNanos(when);
      lastUsed[position] = nanos;
      if (nanos == NONE) {
        oddLastUsed.put(position, when);
      } else {
        oddLastUsed.remove(position);
      }
    }
  }

  /**
   * Notes a use of the record with this id, if later than the one noted, where readers and other
   * such writes may run alongside (under the store's read lock): only an element of {@link
   * #lastUsed} changes, by an atomic maximum, so no use is lost and none goes back in time.
   *
   * @return false, with nothing changed, if there is no such live record, or the use needs {@link
   *     #usedAt} under the write lock (an instant, or a last use noted, beyond what nanoseconds in
   *     a long hold)
   */
  boolean usedAtSharing(String keyId, Instant when) {
    int position = livePositionOfId(keyId);
    return position >= 0 && usedAtSharing(position, CompactKeyIndex.epochNanos(when));
  }

  /**
   * {@link #usedAtSharing(String, Instant)} for the record at {@code position}, the use in epoch
   * nanoseconds.
   */
  boolean usedAtSharing(int position, long nanos) {
    if (nanos == NONE || !oddLastUsed.isEmpty()) {
      return false;
    }
    long noted;
    do {
      noted = (long) LAST_USED.getOpaque(lastUsed, position);
      if (noted >= nanos) { // NONE is Long.MIN_VALUE: any use is later
        return true;
      }
    } while (!LAST_USED.compareAndSet(lastUsed, position, noted, nanos));
    return true;
  }

  private Instant lastUsedAt(int position) {
    long nanos = (long) LAST_USED.getOpaque(lastUsed, position);
    if (nanos == NONE) {
      // an empty map (the usual case) is not asked: that would box the position on every lookup
      // and every last use written
      return oddLastUsed.isEmpty() ? null : oddLastUsed.get(position);
    }
    return CompactKeyIndex.instantOfEpochNanos(nanos);
  }
}
