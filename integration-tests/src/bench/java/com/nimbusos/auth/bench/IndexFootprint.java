package com.nimbusos.auth.bench;

import com.nimbusos.auth.api.Environment;
import com.nimbusos.auth.api.internal.Json;
import com.nimbusos.auth.api.keys.CompactKeyIndex;
import com.nimbusos.auth.api.keys.KeyRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Heap and load time of a {@link CompactKeyIndex} from 10⁴ to 10⁷ keys, in its own JVM: records
 * made as {@link BenchKeys#record} makes them (a {@code key_} id, a random 32-byte hash, owner
 * among 10,000 partners, one scope, last 4, creation instant), added to the builder one by one (no
 * list of records is kept: a store loading a file or a table streams them too), then built. Live
 * heap is read after full collections with the index alone held; load time is the build (sort and
 * arrays) and, apart, making the records. Then a timed loop looks every key up once in a random
 * order (one thread): ns per lookup, cache misses included. Prints {@code INDEX_JSON [...]}. {@code
 * IndexFootprint N...}.
 */
public final class IndexFootprint {

  private IndexFootprint() {}

  public static void main(String[] args) throws Exception {
    List<Object> rows = new ArrayList<>();
    for (String arg : args) {
      rows.add(measure(Integer.parseInt(arg)));
      System.out.println("measured " + arg + " keys");
    }
    System.out.println("INDEX_JSON " + Json.write(rows).replace("\n", " "));
  }

  static Map<String, Object> measure(int count) throws InterruptedException {
    long empty = HeapFootprint.liveHeap();
    SplittableRandom random = new SplittableRandom(11L + count);
    Instant created = Instant.parse("2026-01-01T00:00:00Z");
    long started = System.nanoTime();
    CompactKeyIndex.Builder builder = CompactKeyIndex.builder(count);
    byte[] probeHashes = new byte[Math.min(count, 1_000_000) * 32];
    for (int i = 0; i < count; i++) {
      byte[] hash = new byte[32];
      for (int b = 0; b < 32; b += 8) {
        long value = random.nextLong();
        for (int k = 0; k < 8; k++) {
          hash[b + k] = (byte) (value >>> (8 * k));
        }
      }
      if (i < probeHashes.length / 32) {
        System.arraycopy(hash, 0, probeHashes, i * 32, 32);
      }
      builder.add(
          new KeyRecord(
              String.format("key_%016x", random.nextLong()),
              hash,
              "partner-" + (i % 10_000),
              Environment.PRODUCTION,
              Set.of(BenchKeys.SCOPE),
              "Ab9z",
              created,
              null,
              null,
              null));
    }
    long added = System.nanoTime();
    CompactKeyIndex index = builder.build();
    long built = System.nanoTime();
    builder = null;
    long withIndex = HeapFootprint.liveHeap() - probeHashes.length - 16;

    // every probed key once, in a shuffled order, twice (the first pass warms the code)
    int probes = probeHashes.length / 32;
    int[] order = new int[probes];
    for (int i = 0; i < probes; i++) {
      order[i] = i;
    }
    for (int i = probes - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    byte[] hash = new byte[32];
    double nsPerLookup = 0;
    int found = 0;
    for (int pass = 0; pass < 3; pass++) {
      long t0 = System.nanoTime();
      for (int i = 0; i < probes; i++) {
        System.arraycopy(probeHashes, order[i] * 32, hash, 0, 32);
        if (index.contains(hash)) {
          found++;
        }
      }
      nsPerLookup = (System.nanoTime() - t0) / (double) probes;
    }
    if (found != 3 * probes) {
      throw new IllegalStateException("the index lost keys: " + found + " of " + 3 * probes);
    }
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("keys", (long) count);
    row.put("indexBytes", withIndex - empty);
    row.put("bytesPerKey", (double) (withIndex - empty) / count);
    row.put("makeRecordsSeconds", (added - started) / 1e9);
    row.put("buildSeconds", (built - added) / 1e9);
    row.put("lookups", (long) probes);
    row.put("nsPerLookup", nsPerLookup);
    if (index.size() != count) {
      throw new IllegalStateException("index size " + index.size());
    }
    return row;
  }
}
