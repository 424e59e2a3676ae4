package com.nimbusos.auth.api.keys;

import com.nimbusos.auth.api.Environment;
import com.nimbusos.auth.api.internal.Json;
import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A store in one JSON file, for single-node deployments and the admin CLI. Every change is written
 * whole to a temporary file and moved over the old one atomically, under a lock shared with other
 * processes (the CLI), so readers never see half a file. While anyone listens for changes (a {@link
 * StoreKeyValidator} does), the file is watched, so a change made by another process is applied
 * within milliseconds; where the file system gives no notification, it is picked up at the next
 * {@link #revision()} poll. A file that cannot be parsed is an error, never an empty store:
 * requests then fail closed.
 *
 * <p>Last uses, which validators write every few seconds, do not rewrite the file: each batch is
 * one append to a journal beside it ({@code keys.json.last-use}: one line per use, {@code <instant>
 * <keyId>}), under the same lock, so that its cost follows the keys used rather than the store. It
 * changes neither the file nor its revision, so no cache anywhere is dropped for it; every store
 * object reads what was appended since it last looked (a stat when nothing was) before it answers,
 * so a listing here, in another store object or in the admin CLI shows the use. The journal is
 * folded into the file, and deleted, at the next change that rewrites the file anyway, and when a
 * batch would take it past a quarter of the file's size (64 KiB at least): the file is then
 * rewritten without a new revision. Reading the journal, the latest use of a key wins; a line cut
 * short by a crash, and a key the file does not hold, are skipped. It holds key ids and instants,
 * never a key or a hash.
 *
 * <p>{@code revision} moves with every change but last use, and is written right after {@code
 * version}, so that a watcher learns from the file's first bytes whether caches must go, before it
 * parses the rest (milliseconds per hundred keys). Files without it (written by hand, or by an
 * older version) are read alike; every change to them is then taken for one that matters until it
 * is parsed.
 *
 * <pre>
 * {"version": 1, "revision": 7, "disabledOwners": [], "keys": [{"keyId": "key_…", "hash": "…64 hex…",
 *  "owner": "acme", "environment": "sandbox", "scopes": ["orders:read"], "last4": "x9Qa", "createdAt": "2026-…Z",
 *  "expiresAt": null, "revokedAt": null, "lastUsedAt": null}]}
 * </pre>
 */
public final class JsonFileKeyStore extends InMemoryKeyStore {

  private static final LocalChanges<JsonFileKeyStore> LOCAL = new LocalChanges<>();
  private static final System.Logger LOG = System.getLogger("com.nimbusos.auth");

  /**
   * One monitor per file for every store object of this JVM: a {@link FileLock} is held by the
   * whole JVM, so a second object asking for it while the first holds it would get an {@code
   * OverlappingFileLockException} instead of waiting.
   */
  private static final Map<String, Object> WRITERS = new ConcurrentHashMap<>();

  /** The journal may always grow this far before it is folded, however small the file. */
  static final long MIN_JOURNAL_BOUND = 64 * 1024;

  /** How {@link #write} begins a file. */
  private static final Pattern HEAD_REVISION =
      Pattern.compile("^\\{\\s*\"version\": 1,\\s*\"revision\": (\\d{1,18}),");

  private final Path file;
  private final Path lockFile;
  private final Object writers;
  private final LastUseJournal journal;
  private volatile FileStamp loaded;

  /** The last problem reading the journal that was logged, so that it is logged once. */
  private String journalProblem;

  /** The file's {@code revision} as last read or written, {@code -1} when it had none. */
  private volatile long fileRevision = -1;

  /**
   * Set when the file is known to have changed although its stamp may not show it: a file's
   * modification time moves by clock ticks of milliseconds, and a freed inode number can come back.
   */
  private volatile boolean stale;

  private final Object watchLock = new Object();
  private FileWatch watch;

  private JsonFileKeyStore(Path file) {
    this.file = file.toAbsolutePath();
    this.lockFile = this.file.resolveSibling(this.file.getFileName() + ".lock");
    this.writers = WRITERS.computeIfAbsent(this.file.toString(), name -> new Object());
    this.journal = new LastUseJournal(this.file);
  }

  /**
   * Opens the store in {@code file}; a missing file is an empty store, created at the first change.
   *
   * @throws KeyStoreException if the file exists but cannot be read or parsed
   */
  public static JsonFileKeyStore open(Path file) throws KeyStoreException {
    JsonFileKeyStore store = new JsonFileKeyStore(Objects.requireNonNull(file, "file"));
    synchronized (store) {
      store.reloadIfChanged();
    }
    LOCAL.join(store.file.toString(), store);
    return store;
  }

  /** The file. */
  public Path file() {
    return file;
  }

  /**
   * The journal of last uses beside the file, {@code keys.json.last-use} for {@code keys.json};
   * absent while the file holds every use.
   */
  public Path lastUseJournal() {
    return journal.path();
  }

  @Override
  public synchronized Optional<KeyRecord> findByHash(byte[] hash) throws KeyStoreException {
    // A validator's lookup: last use decides nothing, so the journal is not read (a stat saved on
    // every cache miss); listings and lookups by id read it.
    reloadIfChanged(false);
    return super.findByHash(hash);
  }

  @Override
  synchronized KnownKey findKnownKey(byte[] hash, long usedSinceNanos) throws KeyStoreException {
    reloadIfChanged(false); // as findByHash
    return super.findKnownKey(hash, usedSinceNanos);
  }

  @Override
  public synchronized Optional<KeyRecord> findById(String keyId) throws KeyStoreException {
    reloadIfChanged();
    return super.findById(keyId);
  }

  @Override
  public synchronized List<KeyRecord> list() throws KeyStoreException {
    reloadIfChanged();
    return super.list();
  }

  @Override
  public synchronized Set<String> disabledOwners() throws KeyStoreException {
    reloadIfChanged();
    return super.disabledOwners();
  }

  @Override
  public synchronized long revision() throws KeyStoreException {
    reloadIfChanged();
    return super.revision();
  }

  @Override
  public synchronized void insert(KeyRecord record) throws KeyStoreException {
    mutate(() -> super.insert(record));
  }

  @Override
  public synchronized void update(KeyRecord record) throws KeyStoreException {
    mutate(() -> super.update(record));
  }

  @Override
  public synchronized void insertAndUpdate(KeyRecord inserted, KeyRecord updated)
      throws KeyStoreException {
    mutate(() -> super.insertAndUpdate(inserted, updated));
  }

  @Override
  public synchronized void setOwnerDisabled(String owner, boolean disabled)
      throws KeyStoreException {
    mutate(() -> super.setOwnerDisabled(owner, disabled));
  }

  /**
   * Appends the uses that move a key's last use forward to the journal, in one write; or folds them
   * and the journal into the file when the journal is full (see the class comment). Advances no
   * revision and tells no listener, here or in any other store object on the file.
   */
  @Override
  public synchronized void recordLastUsed(Map<String, Instant> lastUsedByKeyId)
      throws KeyStoreException {
    if (lastUsedByKeyId.isEmpty()) {
      return;
    }
    underFileLock(
        () -> {
          reloadIfChanged();
          Map<String, Instant> forward = forward(lastUsedByKeyId);
          if (forward.isEmpty()) {
            return;
          }
          boolean appended;
          try {
            appended = journal.append(forward, journalBound());
          } catch (IOException e) {
            throw new KeyStoreException(
                "cannot write " + journal.path() + ": " + e.getMessage(), e);
          }
          if (appended) {
            super.recordLastUsed(forward);
          } else {
            rewrite(() -> super.recordLastUsed(forward), false);
          }
        });
  }

  @Override
  public void addChangeListener(Runnable listener) {
    super.addChangeListener(listener);
    synchronized (watchLock) {
      if (watch == null) {
        watch = FileWatch.start(file, this::reloadAfterEvent);
      }
    }
  }

  @Override
  public void removeChangeListener(Runnable listener) {
    super.removeChangeListener(listener);
    synchronized (watchLock) {
      if (watch != null && !hasChangeListeners()) {
        watch.stop();
        watch = null;
      }
    }
  }

  @Override
  public String toString() {
    return "JsonFileKeyStore[" + file + "]";
  }

  @FunctionalInterface
  private interface Mutation {
    void apply() throws KeyStoreException;
  }

  /**
   * Makes a change that matters to caches: see {@link #rewrite}; then tells the other store objects
   * of this JVM on the file.
   */
  private void mutate(Mutation mutation) throws KeyStoreException {
    underFileLock(() -> rewrite(mutation, true));
    LOCAL.publish(
        file.toString(),
        other -> {
          if (other != this) {
            other.stale = true;
            other.changed();
          }
        });
  }

  /** Runs {@code body} holding the file's lock, which other processes (the CLI) take too. */
  private void underFileLock(Mutation body) throws KeyStoreException {
    synchronized (writers) {
      try (FileChannel channel =
              FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
          FileLock lock = channel.lock()) {
        body.apply();
      } catch (IOException e) {
        throw new KeyStoreException("cannot lock " + lockFile + ": " + e.getMessage(), e);
      }
    }
  }

  /**
   * Re-reads the file and the journal, applies the change in memory, writes the file, then deletes
   * the journal, whose uses the file now holds; all or nothing (a journal left behind by a failed
   * delete is read again harmlessly). Returns once the new file is in place, so that every reader
   * from then on sees the change. Under the file's lock.
   *
   * @param newRevision whether the change matters to caches: false for last use
   */
  private void rewrite(Mutation mutation, boolean newRevision) throws KeyStoreException {
    stale =
        true; // another process may have written within the stamp's resolution: never build on it
    reloadIfChanged();
    Snapshot before = snapshot();
    mutation.apply();
    long revision = Math.max(fileRevision, 0) + (newRevision ? 1 : 0);
    try {
      write(snapshot(), revision);
      fileRevision = revision;
    } catch (IOException | RuntimeException e) {
      replaceAll(before.records(), before.disabledOwners());
      throw new KeyStoreException("cannot write " + file + ": " + e.getMessage(), e);
    }
    try {
      journal.delete();
    } catch (IOException e) {
      LOG.log(
          Level.WARNING,
          "Nimbus Auth key store "
              + file
              + ": cannot delete "
              + journal.path()
              + " ("
              + e.getMessage()
              + "); the file holds its uses, so reading it again changes nothing");
    }
  }

  /** The uses that move a key's last use forward; keys this store does not hold are left out. */
  private Map<String, Instant> forward(Map<String, Instant> lastUsedByKeyId)
      throws KeyStoreException {
    Map<String, Instant> forward = new LinkedHashMap<>();
    for (Map.Entry<String, Instant> use : lastUsedByKeyId.entrySet()) {
      Optional<KeyRecord> held = super.findById(use.getKey());
      if (held.isPresent()
          && (held.get().lastUsedAt() == null
              || held.get().lastUsedAt().isBefore(use.getValue()))) {
        forward.put(use.getKey(), use.getValue());
      }
    }
    return forward;
  }

  /**
   * How large the journal may grow before it is folded into the file: reading it then costs no more
   * than a quarter of reading the file, and each fold is paid for by appends of as many bytes.
   */
  private long journalBound() {
    return Math.max(MIN_JOURNAL_BOUND, loaded.size() / 4);
  }

  /**
   * Re-reads the file after the watch saw it change, whatever its stamp says; listeners hear of it
   * only if it changed more than last use. A file that cannot be read or parsed tells them too, so
   * that requests fail closed at once rather than trusting the cache until the staleness bound.
   */
  private void reloadAfterEvent() {
    try {
      synchronized (this) {
        stale = true;
        if (mayMatterToCaches()) {
          // Caches go now, not after the parse: until it is done, their requests wait for this
          // lock.
          changed();
        }
        reloadIfChanged();
      }
    } catch (KeyStoreException e) {
      changed();
    }
  }

  /**
   * Whether the file on disk may differ from what is loaded in more than last use, judged from its
   * stamp and its first bytes only; under the lock, so that this store's own write is never taken
   * for another's.
   */
  private boolean mayMatterToCaches() {
    try {
      FileStamp now = FileStamp.of(file);
      if (now.equals(loaded)) {
        return false; // this store's own write
      }
      if (now.missing()) {
        return true;
      }
      byte[] head = new byte[96];
      int length;
      try (InputStream in = Files.newInputStream(file)) {
        length = in.readNBytes(head, 0, head.length);
      }
      Matcher revision =
          HEAD_REVISION.matcher(new String(head, 0, length, StandardCharsets.ISO_8859_1));
      return !revision.find()
          || fileRevision < 0
          || Long.parseLong(revision.group(1)) != fileRevision;
    } catch (IOException | RuntimeException e) {
      return true;
    }
  }

  private void reloadIfChanged() throws KeyStoreException {
    reloadIfChanged(true);
  }

  /**
   * Reads the file again if it changed, then, if {@code withLastUses}, what the journal gained
   * since it was last read.
   */
  private void reloadIfChanged(boolean withLastUses) throws KeyStoreException {
    try {
      FileStamp now = FileStamp.of(file);
      if (!now.equals(loaded) || stale) {
        stale = false;
        if (now.missing()) {
          if (loaded != null && !loaded.missing()) {
            throw new KeyStoreException("key store file " + file + " disappeared");
          }
          loaded = now;
          return;
        }
        String text = Files.readString(file, StandardCharsets.UTF_8);
        Parsed parsed = parse(text);
        replaceAll(parsed.records(), parsed.disabledOwners());
        fileRevision = parsed.revision();
        loaded = now;
        journal.rewind(); // the file's last uses replaced those read from the journal
      } else if (now.missing()) {
        return; // no keys, so no use of one
      }
    } catch (IOException e) {
      throw new KeyStoreException("cannot read " + file + ": " + e.getMessage(), e);
    } catch (IllegalArgumentException | ClassCastException | NullPointerException e) {
      throw new KeyStoreException("key store file " + file + " is malformed: " + e.getMessage(), e);
    }
    if (withLastUses) {
      catchUpJournal();
    }
  }

  /**
   * Applies what the journal gained. A journal that cannot be read is logged, once, and otherwise
   * ignored: last use is shown to people and decides nothing, so it must not fail requests.
   */
  private void catchUpJournal() {
    int skipped = journal.malformedLines();
    try {
      journal.catchUp(uses -> super.recordLastUsed(uses));
      journalProblem = null;
    } catch (IOException | KeyStoreException e) {
      String problem = String.valueOf(e.getMessage());
      if (!problem.equals(journalProblem)) {
        LOG.log(
            Level.WARNING,
            "Nimbus Auth key store "
                + file
                + ": cannot read "
                + journal.path()
                + " ("
                + problem
                + "); last uses recorded there are not shown until it can be read");
      }
      journalProblem = problem;
    }
    skipped = journal.malformedLines() - skipped;
    if (skipped > 0) {
      LOG.log(
          Level.WARNING,
          "Nimbus Auth key store "
              + file
              + ": skipped "
              + skipped
              + " unreadable lines of "
              + journal.path());
    }
  }

  private void write(Snapshot snapshot, long revision) throws IOException {
    List<Object> keys = new ArrayList<>();
    for (KeyRecord record : snapshot.records()) {
      Map<String, Object> key = new LinkedHashMap<>();
      key.put("keyId", record.keyId());
      key.put("hash", record.hashHex());
      key.put("owner", record.owner());
      key.put("environment", record.environment().configName());
      key.put("scopes", List.copyOf(new TreeSet<>(record.scopes())));
      key.put("last4", record.last4());
      key.put("createdAt", record.createdAt().toString());
      key.put("expiresAt", text(record.expiresAt()));
      key.put("revokedAt", text(record.revokedAt()));
      key.put("lastUsedAt", text(record.lastUsedAt()));
      keys.add(key);
    }
    Map<String, Object> document = new LinkedHashMap<>();
    document.put("version", 1L);
    document.put("revision", revision);
    document.put("disabledOwners", List.copyOf(new TreeSet<>(snapshot.disabledOwners())));
    document.put("keys", keys);
    Path temp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
    try {
      Files.writeString(temp, Json.write(document), StandardCharsets.UTF_8);
      // On disk before it replaces the old file: a crash must never leave a revocation
      // half-written.
      try (FileChannel written = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        written.force(true);
      }
      try {
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(temp);
    }
    loaded = FileStamp.of(file);
  }

  private record Parsed(long revision, List<KeyRecord> records, Set<String> disabledOwners) {}

  @SuppressWarnings("unchecked")
  private static Parsed parse(String text) {
    Map<String, Object> document = (Map<String, Object>) Json.parse(text);
    Object version = document.get("version");
    if (!Long.valueOf(1).equals(version)) {
      throw new IllegalArgumentException("unsupported version " + version + ", expected 1");
    }
    List<KeyRecord> records = new ArrayList<>();
    Set<String> ids = new java.util.HashSet<>();
    Set<String> hashes = new java.util.HashSet<>();
    for (Object entry : (List<Object>) document.getOrDefault("keys", List.of())) {
      Map<String, Object> key = (Map<String, Object>) entry;
      String keyId = required(key, "keyId");
      KeyRecord record;
      try {
        record =
            new KeyRecord(
                keyId,
                HexFormat.of().parseHex(required(key, "hash")),
                required(key, "owner"),
                Environment.parse(required(key, "environment")),
                Set.copyOf((List<String>) key.getOrDefault("scopes", List.of())),
                required(key, "last4"),
                Instant.parse(required(key, "createdAt")),
                instant(key.get("expiresAt")),
                instant(key.get("revokedAt")),
                instant(key.get("lastUsedAt")));
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("key " + keyId + ": " + e.getMessage(), e);
      }
      if (!ids.add(keyId)) {
        throw new IllegalArgumentException("duplicate key id " + keyId);
      }
      if (!hashes.add(record.hashHex())) {
        throw new IllegalArgumentException("key " + keyId + " has the same hash as another key");
      }
      records.add(record);
    }
    Set<String> owners =
        Set.copyOf((List<String>) document.getOrDefault("disabledOwners", List.of()));
    long revision = document.get("revision") instanceof Long number && number >= 0 ? number : -1;
    return new Parsed(revision, records, owners);
  }

  private static String required(Map<String, Object> key, String field) {
    Object value = key.get(field);
    if (!(value instanceof String text) || text.isEmpty()) {
      throw new IllegalArgumentException("a key lacks " + field);
    }
    return text;
  }

  private static Instant instant(Object value) {
    return value == null ? null : Instant.parse((String) value);
  }

  private static String text(Instant instant) {
    return instant == null ? null : instant.toString();
  }

  /** What identifies a version of the file: its modification time and size. */
  private record FileStamp(boolean missing, FileTime modified, long size, Object fileKey) {
    static FileStamp of(Path file) throws IOException {
      try {
        var attributes =
            Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class);
        return new FileStamp(
            false, attributes.lastModifiedTime(), attributes.size(), attributes.fileKey());
      } catch (NoSuchFileException e) {
        return new FileStamp(true, null, -1, null);
      }
    }
  }
}
