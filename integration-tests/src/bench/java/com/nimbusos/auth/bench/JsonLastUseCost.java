package com.nimbusos.auth.bench;

import com.nimbusos.auth.api.internal.Json;
import com.nimbusos.auth.api.keys.JsonFileKeyStore;
import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * What one batch write of last uses costs the JSON file store, by the number of keys in the file
 * and in the batch: {@code JsonFileKeyStore.recordLastUsed} with the uses of 100 keys (the median
 * of {@value #TIMED} batches, after {@value #WARM_UP} unmeasured ones), and of every key (once),
 * with the bytes each wrote: to the journal beside the file, or the whole file when the batch
 * folded the journal into it. Run in its own JVM: {@code JsonLastUseCost DIR N...}; prints {@code
 * JSON_LAST_USE [...]}.
 */
public final class JsonLastUseCost {

  private static final int WARM_UP = 3;
  private static final int TIMED = 5;

  private JsonLastUseCost() {}

  public static void main(String[] args) throws Exception {
    Path dir = Files.createDirectories(Path.of(args[0]));
    List<Object> rows = new ArrayList<>();
    for (int a = 1; a < args.length; a++) {
      int count = Integer.parseInt(args[a]);
      Path file = dir.resolve("keys-" + count + ".json");
      List<String> ids = writeStore(file, count);
      JsonFileKeyStore store = JsonFileKeyStore.open(file);
      store.list(); // loaded
      Instant now = Instant.parse("2026-06-01T00:00:00Z");
      for (int used : new int[] {100, count}) {
        int keys = Math.min(used, count);
        int runs = used == count ? 1 : WARM_UP + TIMED;
        double[] seconds = new double[runs];
        long written = 0;
        for (int run = 0; run < runs; run++) {
          now = now.plusSeconds(10); // each batch moves every use forward, as the validator's do
          Map<String, Instant> batch = new HashMap<>();
          for (int i = 0; i < keys; i++) {
            batch.put(ids.get(i), now);
          }
          Written before = Written.of(store);
          long started = System.nanoTime();
          store.recordLastUsed(batch);
          seconds[run] = (System.nanoTime() - started) / 1e9;
          written = Written.of(store).since(before);
        }
        double median =
            median(java.util.Arrays.copyOfRange(seconds, runs - Math.min(runs, TIMED), runs));
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("keysInStore", (long) count);
        row.put("keysUsed", (long) keys);
        row.put("seconds", median);
        row.put("fileBytes", Files.size(file));
        row.put("bytesWritten", written);
        rows.add(row);
        System.out.println(
            "measured "
                + count
                + " keys, "
                + keys
                + " used: "
                + median
                + " s, "
                + written
                + " bytes written");
      }
      Files.deleteIfExists(file);
      Files.deleteIfExists(store.lastUseJournal());
    }
    System.out.println("JSON_LAST_USE " + Json.write(rows).replace("\n", " "));
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    java.util.Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }

  /**
   * What a batch wrote: the journal's growth, or the whole file when the batch rewrote it (folding
   * the journal, which is then gone).
   */
  private record Written(
      Object fileKey,
      java.nio.file.attribute.FileTime modified,
      long fileBytes,
      long journalBytes) {
    static Written of(JsonFileKeyStore store) throws java.io.IOException {
      var file =
          Files.readAttributes(store.file(), java.nio.file.attribute.BasicFileAttributes.class);
      long journal = Files.exists(store.lastUseJournal()) ? Files.size(store.lastUseJournal()) : 0;
      return new Written(file.fileKey(), file.lastModifiedTime(), file.size(), journal);
    }

    long since(Written before) {
      boolean rewritten =
          !java.util.Objects.equals(fileKey, before.fileKey) || !modified.equals(before.modified);
      return rewritten ? fileBytes + journalBytes : journalBytes - before.journalBytes;
    }
  }

  /**
   * A store file of {@code count} keys in the store's format, written directly (inserting would
   * rewrite it each time).
   */
  private static List<String> writeStore(Path file, int count) throws Exception {
    SplittableRandom random = new SplittableRandom(5);
    List<String> ids = new ArrayList<>(count);
    try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      out.write("{\"version\": 1, \"disabledOwners\": [], \"keys\": [");
      byte[] hash = new byte[32];
      for (int i = 0; i < count; i++) {
        for (int b = 0; b < 32; b++) {
          hash[b] = (byte) random.nextInt(256);
        }
        String id = String.format("key_%016x", random.nextLong());
        ids.add(id);
        out.write(
            (i == 0 ? "" : ",")
                + "\n{\"keyId\": \""
                + id
                + "\", \"hash\": \""
                + HexFormat.of().formatHex(hash)
                + "\", \"owner\": \"partner-"
                + (i % 10_000)
                + "\", \"environment\": \"production\", \"scopes\": [\""
                + BenchKeys.SCOPE
                + "\"], \"last4\": \"Ab9z\", \"createdAt\": \"2026-01-01T00:00:00Z\", \"expiresAt\": null, "
                + "\"revokedAt\": null, \"lastUsedAt\": null}");
      }
      out.write("]}\n");
    }
    return ids;
  }
}
