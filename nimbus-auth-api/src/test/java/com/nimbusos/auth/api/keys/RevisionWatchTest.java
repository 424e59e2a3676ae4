package com.nimbusos.auth.api.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RevisionWatchTest {

  private static final long HOUR = Duration.ofHours(1).toNanos();

  private final InMemoryKeyStore memory = new InMemoryKeyStore();
  private final CountingKeyStore store = new CountingKeyStore(memory);
  private final CacheGeneration generation = new CacheGeneration();
  private final UnknownKeyCache unknown = new UnknownKeyCache(10, generation);
  private final AtomicInteger drops = new AtomicInteger();
  private final AtomicInteger reloads = new AtomicInteger();

  private RevisionWatch watch(long maxStalenessNanos, RevisionWatch.Reload reload) {
    return new RevisionWatch(
        store,
        maxStalenessNanos,
        generation,
        () -> {
          drops.incrementAndGet();
          unknown.forgetAll();
        },
        reload);
  }

  private RevisionWatch watch() {
    return watch(HOUR, reloads::incrementAndGet);
  }

  @Test
  void isStaleUntilTheFirstSyncWhichDropsAndReloads() throws Exception {
    RevisionWatch watch = watch();
    assertTrue(watch.isStale());
    watch.sync();
    assertFalse(watch.isStale());
    assertEquals(1, drops.get());
    assertEquals(1, reloads.get());
  }

  @Test
  void aSyncThatFindsTheSameRevisionKeepsTheCaches() throws Exception {
    RevisionWatch watch = watch();
    watch.sync();
    unknown.remember(new HashKey(TestRecords.hash(1)), generation.current());
    watch.sync();
    assertEquals(1, drops.get());
    assertEquals(1, reloads.get());
    assertTrue(unknown.contains(new HashKey(TestRecords.hash(1))));
  }

  @Test
  void theNegativeCacheForgetsWhenASyncFindsANewRevision() throws Exception {
    RevisionWatch watch = watch();
    watch.sync();
    long dropped = watch.droppedNanos();
    HashKey missing = new HashKey(TestRecords.hash(1));
    unknown.remember(missing, generation.current());
    memory.insert(TestRecords.record("k_1", 1)); // the revision moves; nobody tells the watch
    assertTrue(unknown.contains(missing), "until the next sync");
    watch.sync();
    assertFalse(unknown.contains(missing));
    assertEquals(2, reloads.get());
    assertTrue(watch.droppedNanos() - dropped > 0, "the drop is timed for the revocation trials");
  }

  @Test
  void aToldChangeDropsTheCachesAtOnceAndTheNextRequestSyncs() throws Exception {
    RevisionWatch watch = watch();
    watch.sync();
    long seen = generation.current();
    watch.changed();
    assertTrue(generation.movedSince(seen), "a lookup under way does not cache its answer");
    assertEquals(2, drops.get());
    assertTrue(watch.isStale());
    watch.sync();
    assertFalse(watch.isStale());
    assertEquals(2, reloads.get(), "a sync after a told change reads the revision data again");
  }

  @Test
  void aChangeToldDuringASyncMakesTheNextRequestSyncAgain() throws Exception {
    RevisionWatch[] holder = new RevisionWatch[1];
    holder[0] = watch(HOUR, () -> holder[0].changed()); // told while the sync reads
    holder[0].sync();
    assertTrue(holder[0].isStale(), "what the sync read may predate the change");
  }

  @Test
  void theCachesAreNotTrustedOnceNoSyncSucceededForTheMaxStaleness() throws Exception {
    RevisionWatch watch = watch(Duration.ofMillis(30).toNanos(), reloads::incrementAndGet);
    watch.sync();
    assertFalse(watch.isStale());
    store.down = true;
    assertThrows(KeyStoreException.class, watch::sync);
    Thread.sleep(60);
    assertTrue(watch.isStale(), "requests now go to the store, and fail closed while it is down");
    store.down = false;
    watch.sync();
    assertFalse(watch.isStale());
  }

  @Test
  void aNewRevisionWhoseReloadFailedIsReadAgainAtTheNextSync() throws Exception {
    boolean[] failing = {false};
    RevisionWatch watch =
        watch(
            HOUR,
            () -> {
              if (failing[0]) {
                throw new KeyStoreException("disabled owners unreadable");
              }
              reloads.incrementAndGet();
            });
    watch.sync();
    memory.insert(TestRecords.record("k_1", 1));
    failing[0] = true;
    assertThrows(KeyStoreException.class, watch::sync);
    failing[0] = false;
    watch.sync();
    assertEquals(2, reloads.get(), "the new revision was not taken as read");
  }

  @Test
  void isFreshSinceAnInstantOnlyIfItsLastSyncBeganAfterIt() throws Exception {
    RevisionWatch watch = watch();
    assertTrue(watch.freshSince(System.nanoTime()), "nothing cached yet: nothing stale");
    watch.sync();
    long committed = System.nanoTime();
    assertFalse(watch.freshSince(committed));
    watch.sync();
    assertTrue(watch.freshSince(committed));
    watch.changed();
    assertTrue(watch.freshSince(System.nanoTime()), "dropped: the next request reads the store");
  }
}
