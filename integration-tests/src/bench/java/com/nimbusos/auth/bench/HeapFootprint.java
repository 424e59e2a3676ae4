package com.nimbusos.auth.bench;

import com.nimbusos.auth.api.Environment;
import com.nimbusos.auth.api.PresentedKey;
import com.nimbusos.auth.api.ValidationResult;
import com.nimbusos.auth.api.internal.Json;
import com.nimbusos.auth.api.keys.InMemoryKeyStore;
import com.nimbusos.auth.api.keys.KeyHasher;
import com.nimbusos.auth.api.keys.StoreKeyValidator;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import javax.management.ObjectName;

/**
 * Heap held by N keys: the {@link InMemoryKeyStore} alone (what a node seeded at start holds), then
 * the {@link StoreKeyValidator}'s cache once every key has been used (what a node holds when all
 * keys are active). Live heap is read after full collections ({@code System.gc()}, explicit GC not
 * disabled). Prints one line {@code HEAP_JSON {...}}. Run in its own JVM: {@code HeapFootprint
 * [keys]}.
 */
public final class HeapFootprint {

  private HeapFootprint() {}

  public static void main(String[] args) throws Exception {
    int count = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    KeyHasher hasher = KeyHasher.sha256();
    long seed = 1234;

    long empty = liveHeap();
    InMemoryKeyStore store = new InMemoryKeyStore();
    long started = System.nanoTime();
    BenchKeys.fill(store, count, hasher, new SplittableRandom(seed), (i, key) -> {});
    double fillSeconds = (System.nanoTime() - started) / 1e9;
    long withStore = liveHeap();
    List<Object> histogram = histogram(12);

    // The same keys again (same seed; the first came from KeyManager and is skipped), each
    // validated once.
    StoreKeyValidator validator = StoreKeyValidator.over(store).hasher(hasher).build();
    SplittableRandom replay = new SplittableRandom(seed);
    int valid = 0;
    for (int i = 1; i < count; i++) {
      if (validator.validate(PresentedKey.of(BenchKeys.wellFormed(Environment.PRODUCTION, replay)))
          instanceof ValidationResult.Valid) {
        valid++;
      }
      for (int b = 0; b < 8; b++) {
        replay.nextInt(256); // the 8 key-id bytes fill() draws per record: stay in step with it
      }
    }
    long withCache = liveHeap();
    if (valid != count - 1) {
      throw new IllegalStateException(
          "only " + valid + " of " + (count - 1) + " replayed keys were valid");
    }

    Map<String, Object> result = new LinkedHashMap<>();
    result.put("keys", (long) count);
    result.put("fillSeconds", fillSeconds);
    result.put("storeBytes", withStore - empty);
    result.put("storeBytesPerKey", (double) (withStore - empty) / count);
    result.put("validatorCacheBytes", withCache - withStore);
    result.put("validatorCacheBytesPerKey", (double) (withCache - withStore) / count);
    result.put("totalBytes", withCache - empty);
    result.put("maxHeap", Runtime.getRuntime().maxMemory());
    result.put("storeHistogram", histogram);
    result.put("gc", gcNames());
    System.out.println("HEAP_JSON " + Json.write(result).replace("\n", " "));
    validator.close();
    if (store.hashCode() == 0) {
      System.out.println(); // keeps the store reachable until here
    }
  }

  /**
   * The heap's largest classes after the store was filled ({@code jcmd GC.class_histogram}, read
   * through the DiagnosticCommand MBean): where the bytes of a key go.
   */
  private static List<Object> histogram(int top) {
    List<Object> rows = new ArrayList<>();
    try {
      ObjectName command = new ObjectName("com.sun.management:type=DiagnosticCommand");
      String text =
          (String)
              ManagementFactory.getPlatformMBeanServer()
                  .invoke(
                      command,
                      "gcClassHistogram",
                      new Object[] {new String[0]},
                      new String[] {String[].class.getName()});
      for (String line : text.split("\n")) {
        String[] cells = line.trim().split("\\s+");
        if (cells.length >= 4 && cells[0].endsWith(":") && rows.size() < top) {
          Map<String, Object> row = new LinkedHashMap<>();
          row.put("class", cells[3]);
          row.put("instances", Long.parseLong(cells[1]));
          row.put("bytes", Long.parseLong(cells[2]));
          rows.add(row);
        }
      }
    } catch (Exception e) {
      rows.add(Map.of("error", String.valueOf(e)));
    }
    return rows;
  }

  private static List<Object> gcNames() {
    List<Object> names = new ArrayList<>();
    ManagementFactory.getGarbageCollectorMXBeans().forEach(gc -> names.add(gc.getName()));
    return names;
  }

  static long liveHeap() throws InterruptedException {
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 4; i++) {
      System.gc();
      Thread.sleep(100);
      used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
    }
    return used;
  }
}
