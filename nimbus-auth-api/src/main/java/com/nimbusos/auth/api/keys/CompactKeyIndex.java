package com.nimbusos.auth.api.keys;

import com.nimbusos.auth.api.ApiKeyPrincipal;
import com.nimbusos.auth.api.Environment;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Every key of a store in a few primitive arrays, for stores and validators that hold all keys in
 * memory: no object per key on the lookup path, and a {@link KeyRecord} made only when a key is
 * found.
 *
 * <ul>
 *   <li>The 32-byte hashes lie in one {@code long[]}, sorted as unsigned bytes; a directory on
 *       their top bits (one {@code int} per two keys or so) gives the run of hashes that share
 *       them, searched by halving. Hashes are SHA-256 or HMAC outputs of random keys, so runs hold
 *       about two hashes; and since the search compares whole hashes, even hashes made to collide
 *       on their top bits cost one halving each, never a scan: the same bound the balanced bins of
 *       {@link HashKey} gave.
 *   <li>The other fields lie in parallel arrays in the same order: the id packed into a {@code
 *       long} when it is {@link KeyManager}'s {@code key_} and 16 hex digits (else kept as text
 *       aside), owners and scope sets interned (an {@code int} each), the environment a byte, last
 *       4 packed into an {@code int}, the creation time in nanoseconds; expiry, revocation and last
 *       use, which few keys have, in small maps.
 *   <li>Ids are found through a second {@code int[]}: positions sorted by id.
 * </ul>
 *
 * <p>About 80 bytes a key: 10,000,000 keys in under a gigabyte. Immutable once built, so lookups
 * need no lock; a store replaces the whole index when its keys change (a reload), or keeps changes
 * aside. The hash compare is constant time once a candidate is found.
 */
public final class CompactKeyIndex {

  /** Made once: {@code values()} copies its array at every call. */
  private static final Environment[] ENVIRONMENTS = Environment.values();

  private static final long NONE = Long.MIN_VALUE;

  /** What {@link #epochNanos} gives for an instant one long cannot hold. */
  static final long NO_NANOS = NONE;

  private static final int ODD = -1;

  private final int size;

  /** Hashes, four longs each (big-endian), sorted as unsigned. */
  private final long[] hashes;

  /**
   * Start of the run of hashes whose top {@link #shift} bits are i; {@code directory[i + 1]} ends
   * it.
   */
  private final int[] directory;

  private final int shift;
  private final long[] packedIds;
  private final Map<Integer, String> oddIds;
  private final int[] byId;

  /** Positions in the order the records were added. */
  private final int[] byInsertion;

  private final int[] owner;
  private final String[] owners;
  private final int[] scopeSet;
  private final List<Set<String>> scopeSets;

  /**
   * Each key's environment as its ordinal: in memory only, never stored, so a reordered enum cannot
   * misread it.
   */
  private final byte[] environment;

  private final int[] last4;
  private final Map<Integer, String> oddLast4;
  private final long[] createdNanos;
  private final Map<Integer, Instant> oddCreated;
  private final Map<Integer, Instant> expiresAt;
  private final Map<Integer, Instant> revokedAt;
  private final Map<Integer, Instant> lastUsedAt;

  private CompactKeyIndex(Builder b, int[] order) {
    size = b.size;
    int bits =
        Math.max(1, 32 - Integer.numberOfLeadingZeros(Math.max(1, size - 1))); // about 2 keys a run
    shift = 64 - Math.min(bits, 30);
    hashes = new long[size * 4];
    packedIds = new long[size];
    owner = new int[size];
    scopeSet = new int[size];
    environment = new byte[size];
    last4 = new int[size];
    createdNanos = new long[size];
    oddIds = new HashMap<>();
    oddLast4 = new HashMap<>();
    oddCreated = new HashMap<>();
    expiresAt = new HashMap<>();
    revokedAt = new HashMap<>();
    lastUsedAt = new HashMap<>();
    for (int to = 0; to < size; to++) {
      int from = order[to];
      System.arraycopy(b.hashes, from * 4, hashes, to * 4, 4);
      packedIds[to] = b.packedIds[from];
      owner[to] = b.owner[from];
      scopeSet[to] = b.scopeSet[from];
      environment[to] = b.environment[from];
      last4[to] = b.last4[from];
      createdNanos[to] = b.createdNanos[from];
    }
    byInsertion = new int[size];
    for (int to = 0; to < size; to++) {
      byInsertion[order[to]] = to;
    }
    // The few fields kept in maps are moved by walking the maps, not by asking each map about each
    // of ten million positions.
    move(b.oddIds, oddIds);
    move(b.oddLast4, oddLast4);
    move(b.oddCreated, oddCreated);
    move(b.expiresAt, expiresAt);
    move(b.revokedAt, revokedAt);
    move(b.lastUsedAt, lastUsedAt);
    owners = b.owners.toArray(new String[0]);
    scopeSets = List.copyOf(b.scopeSets);
    directory = new int[(1 << (64 - shift)) + 1];
    int position = 0;
    for (int bucket = 0; bucket < directory.length - 1; bucket++) {
      directory[bucket] = position;
      while (position < size && (int) (hashes[position * 4] >>> shift) == bucket) {
        position++;
      }
    }
    directory[directory.length - 1] = size;
    byId = sortedById();
  }

  /** Copies the values added at a position to the position that key now has. */
  private <T> void move(Map<Integer, T> added, Map<Integer, T> sorted) {
    for (Map.Entry<Integer, T> entry : added.entrySet()) {
      sorted.put(byInsertion[entry.getKey()], entry.getValue());
    }
  }

  /** A builder for an index of about {@code expected} keys (it grows past that). */
  public static Builder builder(int expected) {
    return new Builder(expected);
  }

  /** An index of {@code records}. */
  public static CompactKeyIndex of(Iterable<KeyRecord> records) {
    Builder builder = builder(records instanceof java.util.Collection<?> c ? c.size() : 16);
    for (KeyRecord record : records) {
      builder.add(record);
    }
    return builder.build();
  }

  /** How many keys. */
  public int size() {
    return size;
  }

  /** Whether a key has this hash; makes no object. */
  public boolean contains(byte[] hash) {
    return positionOf(hash) >= 0;
  }

  /** The record with this hash, made now, or empty. */
  public Optional<KeyRecord> findByHash(byte[] hash) {
    int position = positionOf(hash);
    return position < 0 ? Optional.empty() : Optional.of(record(position));
  }

  /** The record with this id, made now, or empty. */
  public Optional<KeyRecord> findById(String keyId) {
    int position = positionOfId(keyId);
    return position < 0 ? Optional.empty() : Optional.of(record(position));
  }

  /** The position of the record with this id, or -1. */
  int positionOfId(String keyId) {
    long packed = pack(keyId);
    if (packed != NONE) {
      return positionOfPacked(packed);
    }
    int lo = size - oddIds.size(); // ids kept as text come after the packed ones, by text
    int hi = size - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      int c = oddIds.get(byId[mid]).compareTo(keyId);
      if (c < 0) {
        lo = mid + 1;
      } else if (c > 0) {
        hi = mid - 1;
      } else {
        return byId[mid];
      }
    }
    return -1;
  }

  /**
   * The position of a packed id, or -1. The ids {@link KeyManager} makes are uniformly random, so
   * the first guesses are placed where the id's value falls between the bounds known so far (for a
   * million ids, about three reads of two random places each, where halving took twenty); ids
   * chosen to defeat the guesses (imported ones, say) are halved for from the fifth guess on, so a
   * lookup never takes more than about twice the reads of halving. Every last use a validator
   * writes to an in-memory store is such a lookup.
   */
  private int positionOfPacked(long packed) {
    int lo = 0;
    int hi = size - oddIds.size() - 1;
    double low = 0; // the packed values at lo - 1 and hi + 1, or the ends of the unsigned range
    double high = 0x1p64;
    double target = unsigned(packed);
    for (int guess = 0; lo <= hi; guess++) {
      int mid;
      if (guess < 4 && high > low) {
        double at = lo + (target - low) / (high - low) * (hi - lo + 1);
        mid = (int) Math.max(lo, Math.min(hi, at));
      } else {
        mid = (lo + hi) >>> 1;
      }
      long value = packedIds[byId[mid]];
      int c = Long.compareUnsigned(value, packed);
      if (c < 0) {
        lo = mid + 1;
        low = unsigned(value);
      } else if (c > 0) {
        hi = mid - 1;
        high = unsigned(value);
      } else {
        return byId[mid];
      }
    }
    return -1;
  }

  /**
   * An instant as nanoseconds since the epoch, in one long, or {@link #NO_NANOS} beyond what one
   * holds (before 1677, after 2262): such an instant is kept as an object beside the array.
   */
  static long epochNanos(Instant instant) {
    try {
      long value =
          Math.addExact(
              Math.multiplyExact(instant.getEpochSecond(), 1_000_000_000L), instant.getNano());
      return value == NO_NANOS ? NO_NANOS : value;
    } catch (ArithmeticException e) {
      return NO_NANOS;
    }
  }

  /** The instant {@link #epochNanos} gave {@code nanos} for (not {@link #NO_NANOS}). */
  static Instant instantOfEpochNanos(long nanos) {
    return Instant.ofEpochSecond(0, nanos);
  }

  /** An unsigned long as a double (its low bits rounded off: only guesses are made from it). */
  private static double unsigned(long value) {
    return value >= 0 ? value : (value >>> 1) * 2.0;
  }

  /**
   * The position of the record added {@code n}th to the builder: the order a store lists its keys
   * in.
   */
  int positionAdded(int n) {
    return byInsertion[n];
  }

  /** The record at a position, with {@code lastUsedAt} in place of the one the index holds. */
  KeyRecord recordAt(int position, Instant lastUsedAt) {
    return record(position, lastUsedAt == null ? sparse(this.lastUsedAt, position) : lastUsedAt);
  }

  /**
   * A field most keys lack, at a position: an empty map (the usual case) is not asked, which would
   * box the position on a path every cache miss of a validator takes.
   */
  private static <T> T sparse(Map<Integer, T> values, int position) {
    return values.isEmpty() ? null : values.get(position);
  }

  /** The id at a position. */
  String idAt(int position) {
    String odd = sparse(oddIds, position);
    return odd != null ? odd : unpack(packedIds[position]);
  }

  /** Every record, made now, in the order they were added. */
  public List<KeyRecord> records() {
    List<KeyRecord> all = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      all.add(record(byInsertion[i]));
    }
    return all;
  }

  /** The position of the hash in the sorted arrays, or -1. */
  int positionOf(byte[] hash) {
    if (hash == null || hash.length != 32 || size == 0) {
      return -1;
    }
    long h0 = HashWords.word(hash, 0);
    long h1 = HashWords.word(hash, 8);
    long h2 = HashWords.word(hash, 16);
    long h3 = HashWords.word(hash, 24);
    int bucket = (int) (h0 >>> shift);
    int lo = directory[bucket];
    int hi = directory[bucket + 1] - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      int c = compare(mid, h0, h1, h2, h3);
      if (c < 0) {
        lo = mid + 1;
      } else if (c > 0) {
        hi = mid - 1;
      } else {
        return mid;
      }
    }
    return -1;
  }

  private int compare(int position, long h0, long h1, long h2, long h3) {
    int at = position * 4;
    int c = Long.compareUnsigned(hashes[at], h0);
    if (c == 0) {
      c = Long.compareUnsigned(hashes[at + 1], h1);
      if (c == 0) {
        c = Long.compareUnsigned(hashes[at + 2], h2);
        if (c == 0) {
          c = Long.compareUnsigned(hashes[at + 3], h3);
        }
      }
    }
    return c;
  }

  private KeyRecord record(int i) {
    return record(i, sparse(lastUsedAt, i));
  }

  /**
   * The key at a position as a validator caches it, made without a record: no copy of the hash, no
   * last four characters, no creation or last-use instant (what every cache miss of a validator
   * paid for, nearly every request with a million keys in use).
   */
  KnownKey knownKeyAt(int i) {
    ApiKeyPrincipal principal =
        new ApiKeyPrincipal(
            idAt(i),
            owners[owner[i]],
            environmentAt(i),
            scopeSets.get(scopeSet[i]),
            sparse(expiresAt, i));
    int at = i * 4;
    return KnownKey.of(
        hashes[at],
        hashes[at + 1],
        hashes[at + 2],
        hashes[at + 3],
        principal,
        sparse(revokedAt, i));
  }

  @SuppressWarnings("EnumOrdinal") // environment[] holds ordinals (see there)
  private Environment environmentAt(int i) {
    return ENVIRONMENTS[environment[i]];
  }

  private KeyRecord record(int i, Instant lastUse) {
    byte[] hash = new byte[32];
    for (int w = 0; w < 4; w++) {
      HashWords.putWord(hash, w * 8, hashes[i * 4 + w]);
    }
    String id = idAt(i);
    String lastFour = last4[i] == ODD ? oddLast4.get(i) : unpackLast4(last4[i]);
    Instant created =
        createdNanos[i] == NONE ? oddCreated.get(i) : instantOfEpochNanos(createdNanos[i]);
    return new KeyRecord(
        id,
        hash,
        owners[owner[i]],
        environmentAt(i),
        scopeSets.get(scopeSet[i]),
        lastFour,
        created,
        sparse(expiresAt, i),
        sparse(revokedAt, i),
        lastUse);
  }

  /**
   * Positions in id order: packed ids by an unsigned radix sort that carries each id beside its
   * position, then the few ids kept as text, by text.
   */
  private int[] sortedById() {
    int packedCount = size - oddIds.size();
    long[] ids = new long[packedCount];
    int[] sorted = new int[packedCount];
    int n = 0;
    for (int i = 0; i < size; i++) {
      if (oddIds.isEmpty() || !oddIds.containsKey(i)) {
        ids[n] = packedIds[i];
        sorted[n++] = i;
      }
    }
    UnsignedRadixSort.sort(ids, sorted, packedCount);
    List<Integer> odd = new ArrayList<>(oddIds.keySet());
    odd.sort((a, b) -> oddIds.get(a).compareTo(oddIds.get(b)));
    int[] all = Arrays.copyOf(sorted, size);
    for (int i = 0; i < odd.size(); i++) {
      all[packedCount + i] = odd.get(i);
    }
    return all;
  }

  private int compareIds(int a, int b) {
    boolean oddA = oddIds.containsKey(a);
    boolean oddB = oddIds.containsKey(b);
    if (!oddA && !oddB) {
      return Long.compareUnsigned(packedIds[a], packedIds[b]);
    }
    if (oddA != oddB) {
      return oddA ? 1 : -1; // packed ids first, odd ones after, by text
    }
    return oddIds.get(a).compareTo(oddIds.get(b));
  }

  /** {@code key_} and 16 lower-case hex digits as a long; else {@link #NONE}. */
  static long pack(String keyId) {
    if (keyId.length() != 20 || !keyId.startsWith("key_")) {
      return NONE;
    }
    long value = 0;
    for (int i = 4; i < 20; i++) {
      char c = keyId.charAt(i);
      int digit = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
      if (digit < 0) {
        return NONE;
      }
      value = value << 4 | digit;
    }
    return value == NONE ? NONE : value; // key_8000000000000000 is kept as text
  }

  private static String unpack(long value) {
    char[] id = new char[20];
    "key_".getChars(0, 4, id, 0);
    for (int i = 19; i >= 4; i--) {
      id[i] = Character.forDigit((int) (value & 0xf), 16);
      value >>>= 4;
    }
    return new String(id);
  }

  /**
   * Four Latin-1 characters, the first not NUL (so that no packing is {@link #ODD}); else {@link
   * #ODD}.
   */
  static int packLast4(String last4) {
    if (last4.length() != 4 || last4.charAt(0) == 0 || last4.charAt(0) > 0x7f) {
      return ODD;
    }
    int value = 0;
    for (int i = 0; i < 4; i++) {
      char c = last4.charAt(i);
      if (c > 0xff) {
        return ODD;
      }
      value = value << 8 | c;
    }
    return value;
  }

  private static String unpackLast4(int value) {
    return new String(
        new char[] {
          (char) (value >>> 24),
          (char) (value >>> 16 & 0xff),
          (char) (value >>> 8 & 0xff),
          (char) (value & 0xff)
        });
  }

  /** Collects records, then sorts them into an index. Not thread-safe. */
  public static final class Builder {
    private int size;
    private long[] hashes;
    private long[] packedIds;
    private int[] owner;
    private int[] scopeSet;
    private byte[] environment;
    private int[] last4;
    private long[] createdNanos;
    private final Map<Integer, String> oddIds = new HashMap<>();
    private final Map<Integer, String> oddLast4 = new HashMap<>();
    private final Map<Integer, Instant> oddCreated = new HashMap<>();
    private final Map<Integer, Instant> expiresAt = new HashMap<>();
    private final Map<Integer, Instant> revokedAt = new HashMap<>();
    private final Map<Integer, Instant> lastUsedAt = new HashMap<>();
    private final List<String> owners = new ArrayList<>();
    private final Map<String, Integer> ownerIndex = new HashMap<>();
    private final List<Set<String>> scopeSets = new ArrayList<>();
    private final Map<Set<String>, Integer> scopeSetIndex = new HashMap<>();

    private Builder(int expected) {
      int capacity = Math.max(16, expected);
      hashes = new long[capacity * 4];
      packedIds = new long[capacity];
      owner = new int[capacity];
      scopeSet = new int[capacity];
      environment = new byte[capacity];
      last4 = new int[capacity];
      createdNanos = new long[capacity];
    }

    /** Adds a record; ids and hashes must be unique (checked by {@link #build()}). */
    @SuppressWarnings("EnumOrdinal") // environment[] holds ordinals (see there)
    public Builder add(KeyRecord record) {
      if (size == packedIds.length) {
        grow();
      }
      int i = size++;
      byte[] hash = record.hashBytes();
      for (int w = 0; w < 4; w++) {
        hashes[i * 4 + w] = HashWords.word(hash, w * 8);
      }
      long packed = pack(record.keyId());
      if (packed == NONE) {
        oddIds.put(i, record.keyId());
      }
      packedIds[i] = packed == NONE ? 0 : packed;
      owner[i] =
          ownerIndex.computeIfAbsent(
              record.owner(),
              o -> {
                owners.add(o);
                return owners.size() - 1;
              });
      scopeSet[i] =
          scopeSetIndex.computeIfAbsent(
              record.scopes(),
              s -> {
                scopeSets.add(s);
                return scopeSets.size() - 1;
              });
      environment[i] = (byte) record.environment().ordinal();
      last4[i] = packLast4(record.last4());
      if (last4[i] == ODD) {
        oddLast4.put(i, record.last4());
      }
      createdNanos[i] = epochNanos(record.createdAt());
      if (createdNanos[i] == NONE) {
        oddCreated.put(i, record.createdAt());
      }
      if (record.expiresAt() != null) {
        expiresAt.put(i, record.expiresAt());
      }
      if (record.revokedAt() != null) {
        revokedAt.put(i, record.revokedAt());
      }
      if (record.lastUsedAt() != null) {
        lastUsedAt.put(i, record.lastUsedAt());
      }
      return this;
    }

    private void grow() {
      int capacity = packedIds.length * 2;
      hashes = Arrays.copyOf(hashes, capacity * 4);
      packedIds = Arrays.copyOf(packedIds, capacity);
      owner = Arrays.copyOf(owner, capacity);
      scopeSet = Arrays.copyOf(scopeSet, capacity);
      environment = Arrays.copyOf(environment, capacity);
      last4 = Arrays.copyOf(last4, capacity);
      createdNanos = Arrays.copyOf(createdNanos, capacity);
    }

    /**
     * Sorts the records by hash and builds the index.
     *
     * @throws IllegalArgumentException if two records share a hash or an id
     */
    public CompactKeyIndex build() {
      int[] order = sortByHash();
      for (int i = 1; i < size; i++) {
        if (compareHashes(order[i - 1], order[i]) == 0) {
          throw new IllegalArgumentException("two keys have the same hash");
        }
      }
      CompactKeyIndex index = new CompactKeyIndex(this, order);
      for (int i = 1; i < size; i++) {
        if (index.compareIds(index.byId[i - 1], index.byId[i]) == 0) {
          throw new IllegalArgumentException("two keys have the same id");
        }
      }
      return index;
    }

    private int compareHashes(int a, int b) {
      for (int w = 0; w < 4; w++) {
        int c = Long.compareUnsigned(hashes[a * 4 + w], hashes[b * 4 + w]);
        if (c != 0) {
          return c;
        }
      }
      return 0;
    }

    /**
     * Positions in hash order: a radix sort on each hash's first eight bytes, then the runs that
     * share them (none among honest SHA-256 hashes; a store can be fed hashes made to collide) by
     * whole hash, with a sort that stays O(n log n) however long the run.
     */
    private int[] sortByHash() {
      long[] firstWords = new long[size];
      int[] order = new int[size];
      for (int i = 0; i < size; i++) {
        firstWords[i] = hashes[i * 4];
        order[i] = i;
      }
      UnsignedRadixSort.sort(firstWords, order, size);
      int from = 0;
      for (int i = 1; i <= size; i++) {
        if (i == size || firstWords[i] != firstWords[from]) {
          if (i - from > 1) {
            sortByWholeHash(order, from, i);
          }
          from = i;
        }
      }
      return order;
    }

    private void sortByWholeHash(int[] order, int from, int to) {
      Integer[] run = new Integer[to - from];
      for (int i = from; i < to; i++) {
        run[i - from] = order[i];
      }
      Arrays.sort(run, this::compareHashes);
      for (int i = from; i < to; i++) {
        order[i] = run[i - from];
      }
    }
  }
}
