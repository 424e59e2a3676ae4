package com.nimbusos.auth.api.keys;

import com.nimbusos.auth.api.Environment;
import com.nimbusos.auth.api.internal.Json;
import java.io.IOException;
import java.io.InputStream;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A store in one JSON file, for single-node deployments and the admin CLI. Every change is written
 * whole to a temporary file and moved over the old one atomically, under a lock shared with other
 * processes (the CLI), so readers never see half a file. While anyone listens for changes (a {@link
 * StoreKeyValidator} does), the file is watched, so a change made by another process is applied
 * within milliseconds; where the file system gives no notification, it is picked up at the next
 * {@link #revision()} poll. A rewrite that changes last use only (validators write it now and then)
 * advances no revision and tells no listener. A file that cannot be parsed is an error, never an
 * empty store: requests then fail closed.
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

  /** How {@link #write} begins a file. */
  private static final Pattern HEAD_REVISION =
      Pattern.compile("^\\{\\s*\"version\": 1,\\s*\"revision\": (\\d{1,18}),");

  private final Path file;
  private final Path lockFile;
  private volatile FileStamp loaded;

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

  @Override
  public synchronized Optional<KeyRecord> findByHash(byte[] hash) throws KeyStoreException {
    reloadIfChanged();
    return super.findByHash(hash);
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

  @Override
  public synchronized void recordLastUsed(Map<String, Instant> lastUsedByKeyId)
      throws KeyStoreException {
    if (!lastUsedByKeyId.isEmpty()) {
      mutate(() -> super.recordLastUsed(lastUsedByKeyId), false);
    }
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

  private void mutate(Mutation mutation) throws KeyStoreException {
    mutate(mutation, true);
  }

  /**
   * Re-reads the file under the lock, applies the change in memory, writes the file; all or
   * nothing. Returns once the new file is in place, so that every reader from then on sees the
   * change.
   *
   * @param tellOthers whether the change matters to caches: false for last use
   */
  private void mutate(Mutation mutation, boolean tellOthers) throws KeyStoreException {
    try (FileChannel channel =
            FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock = channel.lock()) {
      stale =
          true; // another process may have written within the stamp's resolution: never build on it
      reloadIfChanged();
      Snapshot before = snapshot();
      mutation.apply();
      long revision = Math.max(fileRevision, 0) + (tellOthers ? 1 : 0);
      try {
        write(snapshot(), revision);
        fileRevision = revision;
      } catch (IOException | RuntimeException e) {
        replaceAll(before.records(), before.disabledOwners());
        throw new KeyStoreException("cannot write " + file + ": " + e.getMessage(), e);
      }
    } catch (IOException e) {
      throw new KeyStoreException("cannot lock " + lockFile + ": " + e.getMessage(), e);
    }
    if (tellOthers) {
      LOCAL.publish(
          file.toString(),
          other -> {
            if (other != this) {
              other.stale = true;
              other.changed();
            }
          });
    }
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
    try {
      FileStamp now = FileStamp.of(file);
      if (now.equals(loaded) && !stale) {
        return;
      }
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
    } catch (IOException e) {
      throw new KeyStoreException("cannot read " + file + ": " + e.getMessage(), e);
    } catch (IllegalArgumentException | ClassCastException | NullPointerException e) {
      throw new KeyStoreException("key store file " + file + " is malformed: " + e.getMessage(), e);
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
