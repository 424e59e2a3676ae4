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
 * and in the batch: {@code JsonFileKeyStore.recordLastUsed} with the uses of 100 keys, and of every
 * key. Run in its own JVM: {@code JsonLastUseCost DIR N...}; prints {@code JSON_LAST_USE [...]}.
 */
public final class JsonLastUseCost {

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
      for (int used : new int[] {100, count}) {
        Map<String, Instant> batch = new HashMap<>();
        Instant now = Instant.parse("2026-06-01T00:00:00Z").plusSeconds(used);
        for (int i = 0; i < Math.min(used, count); i++) {
          batch.put(ids.get(i), now);
        }
        long started = System.nanoTime();
        store.recordLastUsed(batch);
        double seconds = (System.nanoTime() - started) / 1e9;
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("keysInStore", (long) count);
        row.put("keysUsed", (long) Math.min(used, count));
        row.put("seconds", seconds);
        row.put("fileBytes", Files.size(file));
        rows.add(row);
        System.out.println("measured " + count + " keys, " + used + " used: " + seconds + " s");
      }
      Files.deleteIfExists(file);
    }
    System.out.println("JSON_LAST_USE " + Json.write(rows).replace("\n", " "));
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
