package com.nimbusos.auth.api.audit.trail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a file trail's writer does before it writes: finds where the trail stopped and, when its
 * last writer stopped uncleanly (killed, power lost), finishes what that writer left. Complete
 * lines it had not sealed yet are sealed; torn lines, and space reserved but never written, cannot
 * be, so they are listed in a {@code recover} checkpoint that ends the file: sequence numbers lost,
 * the torn bytes themselves (base64) and the count of unwritten bytes. Nothing is dropped silently,
 * and the requests whose records were torn were never served: their {@code record} call had not
 * returned. A sealed line that does not verify is not a crash but damage: that file is left as it
 * is, for {@code verify} to report.
 */
final class TrailRecovery {

  private static final System.Logger LOG = System.getLogger("com.nimbusos.auth.audit.trail");
  private static final Pattern SEQ = Pattern.compile("^\\{\"seq\":([1-9][0-9]{0,18}),");

  /** Torn bytes kept in a recover checkpoint, at most; what lies beyond is counted. */
  private static final int FRAGMENT_BYTES = 64 * 1024;

  /**
   * Where the writer continues.
   *
   * @param head the chain value of the trail's last record
   * @param lastSeq the last sequence number given out, 0 for none
   * @param nextIndex the number of the file to write next
   */
  record Result(byte[] head, long lastSeq, int nextIndex) {}

  private final TrailStorage storage;
  private final TrailFiles names;
  private final Chain chain;
  private final Clock clock;
  private boolean headKnown;
  private long lastSeq;
  private String lastKind;
  private long rotatesTo = -1;

  private TrailRecovery(TrailStorage storage, TrailFiles names, byte[] key, Clock clock) {
    this.storage = storage;
    this.names = names;
    this.chain = new Chain(key, Chain.GENESIS);
    this.clock = clock;
  }

  /** Finds the end of the trail under {@code names}, recovering what an unclean stop left. */
  static Result run(TrailStorage storage, TrailFiles names, byte[] key, Clock clock)
      throws IOException {
    return new TrailRecovery(storage, names, key, clock).run();
  }

  private Result run() throws IOException {
    List<Integer> indexes = names.list();
    if (indexes.isEmpty()) {
      return new Result(Chain.GENESIS, 0, 1);
    }
    int from = 0;
    headKnown = indexes.get(0) == 1;
    for (int i = indexes.size() - 1; i >= 0; i--) {
      if (endsCleanly(names.file(indexes.get(i)))) {
        from = i + 1;
        break;
      }
    }
    int next = indexes.get(indexes.size() - 1) + 1;
    for (int i = from; i < indexes.size(); i++) {
      int index = indexes.get(i);
      Outcome outcome = recover(index);
      if (outcome == Outcome.REMOVED && i == indexes.size() - 1) {
        next = index;
      }
      if (outcome == Outcome.DAMAGED) {
        break;
      }
    }
    return new Result(chain.head(), lastSeq, next);
  }

  private enum Outcome {
    RECOVERED,
    REMOVED,
    DAMAGED
  }

  /**
   * Whether the file's last line is a sealed closing checkpoint; if so the trail continues from it.
   */
  private boolean endsCleanly(Path file) throws IOException {
    try (FileChannel channel =
        storage.open(file, StandardOpenOption.READ)) { // finished files may be made read-only
      MappedByteBuffer data = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size());
      int end = contentEnd(data);
      if (end == 0 || data.get(end - 1) != '\n') {
        return false;
      }
      int start = end - 1;
      while (start > 0 && data.get(start - 1) != '\n') {
        start--;
      }
      TrailLine line = parse(data, start, end - 1);
      if (line == null || !line.isSealed() || !line.isTerminal()) {
        return false;
      }
      accept(line);
      headKnown = true;
      if (end < channel.size()) {
        try (FileChannel writable = storage.open(file, StandardOpenOption.WRITE)) {
          writable.truncate(end); // closed, but its reserved space was never given back
        }
      }
      return true;
    }
  }

  private Outcome recover(int index) throws IOException {
    Path file = names.file(index);
    try (FileChannel channel =
        storage.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      MappedByteBuffer data = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size());
      int end = contentEnd(data);
      if (end == 0) {
        return emptyFile(index, file, channel);
      }
      int at = 0;
      int lineNo = 0;
      while (at < end) {
        int lineEnd = lineEnd(data, at, end);
        TrailLine line =
            lineEnd < end && data.get(lineEnd) == '\n' ? parse(data, at, lineEnd) : null;
        if (line == null || !line.isSealed()) {
          break;
        }
        if (headKnown && !links(line)) {
          if (sealCutShort(line)) {
            break;
          }
          LOG.log(
              Level.ERROR,
              "Nimbus Auth audit trail: "
                  + file
                  + " line "
                  + (lineNo + 1)
                  + " does not verify: the file"
                  + " was changed after it was written. It is left as it is for 'KeyAdmin audit verify' to report; new"
                  + " records go to a new file.");
          return Outcome.DAMAGED;
        }
        accept(line);
        headKnown = true;
        at = lineEnd + 1;
        lineNo++;
      }
      Tail tail = tail(data, at, end);
      if (tail == null) {
        LOG.log(
            Level.ERROR,
            "Nimbus Auth audit trail: "
                + file
                + " holds sealed records after unsealed ones from line "
                + (lineNo + 1)
                + " on, which no writer leaves: the file was changed. It is left as it is for 'KeyAdmin audit"
                + " verify' to report; new records go to a new file.");
        return Outcome.DAMAGED;
      }
      rewrite(channel, at, tail);
      LOG.log(
          Level.WARNING,
          "Nimbus Auth audit trail: "
              + file
              + " was left unfinished by an unclean stop (the process"
              + " was killed, or the machine stopped). "
              + tail.describe()
              + ". The file ends with a 'recover' checkpoint now,"
              + " which lists what could not be saved.");
      return Outcome.RECOVERED;
    }
  }

  /** A file with nothing in it: the next one a rotation opened, or one prepared and never used. */
  private Outcome emptyFile(int index, Path file, FileChannel channel) throws IOException {
    if ("rotate".equals(lastKind) && rotatesTo == index) {
      Tail tail = new Tail();
      tail.opening =
          TrailFormat.checkpointLine("open", clock.instant(), lastSeq, ",\"file\":" + index);
      rewrite(channel, 0, tail);
      LOG.log(
          Level.WARNING,
          "Nimbus Auth audit trail: "
              + file
              + " was opened by a rotation just before an unclean stop;"
              + " it holds its 'open' and 'recover' checkpoints now");
      return Outcome.RECOVERED;
    }
    channel.close();
    Files.deleteIfExists(file);
    return Outcome.REMOVED;
  }

  /** What follows the last sealed line: complete lines to seal, torn pieces, unwritten bytes. */
  private static final class Tail {
    byte[] opening;
    final List<byte[]> lines = new ArrayList<>();
    final List<byte[]> fragments = new ArrayList<>();
    final TreeSet<Long> seqs = new TreeSet<>();
    final TreeSet<Long> tornSeqs = new TreeSet<>();
    long unwritten;

    String describe() {
      return (lines.isEmpty()
              ? "Every complete record was sealed already"
              : lines.size() + " complete record(s) were not sealed yet")
          + (fragments.isEmpty()
              ? ""
              : ", "
                  + fragments.size()
                  + " record(s) were torn (seq "
                  + tornSeqs
                  + " where legible)")
          + (unwritten == 0 ? "" : ", " + unwritten + " reserved byte(s) were never written");
    }
  }

  /**
   * Reads the tail; {@code null} if it holds a sealed line after the first one, which no crash
   * leaves.
   */
  private Tail tail(MappedByteBuffer data, int from, int end) {
    Tail tail = new Tail();
    int at = from;
    while (at < end) {
      if (data.get(at) == 0) {
        tail.unwritten++;
        at++;
        continue;
      }
      int lineEnd = lineEnd(data, at, end);
      boolean complete = lineEnd < end && data.get(lineEnd) == '\n';
      byte[] bytes = new byte[lineEnd - at];
      data.get(at, bytes, 0, bytes.length);
      TrailLine line = complete ? parse(data, at, lineEnd) : null;
      if (line != null && line.isSealed() && at != from) {
        return null;
      }
      if (line != null) {
        tail.lines.add(bytes);
        if (!line.isCheckpoint()) {
          tail.seqs.add(line.seq());
        }
      } else {
        tail.fragments.add(bytes);
        Matcher seq =
            SEQ.matcher(
                new String(
                    bytes,
                    0,
                    Math.min(bytes.length, 32),
                    java.nio.charset.StandardCharsets.ISO_8859_1));
        if (seq.find()) {
          tail.tornSeqs.add(Long.parseLong(seq.group(1)));
        }
      }
      at = complete ? lineEnd + 1 : lineEnd;
    }
    return tail;
  }

  /** Seals the tail's lines, adds the recover checkpoint, and writes them over the old tail. */
  private void rewrite(FileChannel channel, int at, Tail tail) throws IOException {
    long before = lastSeq;
    long highest =
        Math.max(
            before,
            Math.max(
                tail.seqs.isEmpty() ? 0 : tail.seqs.last(),
                tail.tornSeqs.isEmpty() ? 0 : tail.tornSeqs.last()));
    List<Long> lost = new ArrayList<>();
    for (long seq = before + 1; seq <= highest; seq++) {
      if (!tail.seqs.contains(seq)) {
        lost.add(seq);
      }
    }
    List<byte[]> lines = new ArrayList<>();
    if (tail.opening != null) {
      lines.add(tail.opening);
    }
    lines.addAll(tail.lines);
    byte[] last = lines.isEmpty() ? null : lines.get(lines.size() - 1);
    boolean endsFile =
        last != null && TrailFormat.isCheckpoint(last, last.length) && endsFile(last);
    byte[] recover =
        TrailFormat.checkpointLine("recover", clock.instant(), highest, recoverFields(lost, tail));
    lines.add(endsFile ? lines.size() - 1 : lines.size(), recover);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] line : lines) {
      int length = line[line.length - 1] == '\n' ? line.length - 1 : line.length;
      byte[] sealed = java.util.Arrays.copyOf(line, length);
      chain.seal(sealed, length);
      accept(TrailLine.parse(sealed, 0, length));
      out.writeBytes(sealed);
      out.write('\n');
    }
    lastSeq = Math.max(lastSeq, highest);
    channel.write(ByteBuffer.wrap(out.toByteArray()), at);
    channel.truncate(at + (long) out.size());
    channel.force(true);
  }

  private static boolean endsFile(byte[] line) {
    TrailLine parsed =
        TrailLine.parse(line, 0, line[line.length - 1] == '\n' ? line.length - 1 : line.length);
    return "rotate".equals(parsed.kind()) || "close".equals(parsed.kind());
  }

  private static String recoverFields(List<Long> lost, Tail tail) {
    StringBuilder fields =
        new StringBuilder(",\"lost\":")
            .append(lost.toString().replace(" ", ""))
            .append(",\"unwrittenBytes\":")
            .append(tail.unwritten)
            .append(",\"fragments\":[");
    int kept = 0;
    long dropped = 0;
    for (byte[] fragment : tail.fragments) {
      if (kept + fragment.length > FRAGMENT_BYTES) {
        dropped += fragment.length;
        continue;
      }
      fields
          .append(kept == 0 ? "" : ",")
          .append('"')
          .append(Base64.getEncoder().encodeToString(fragment))
          .append('"');
      kept += fragment.length;
    }
    fields.append(']');
    if (dropped > 0) {
      fields.append(",\"fragmentBytesNotKept\":").append(dropped);
    }
    return fields.toString();
  }

  private boolean links(TrailLine line) {
    byte[] head = chain.head();
    return Chain.same(chain.link(head, line.bytes(), line.length()), line.storedChain())
        && (!line.isCheckpoint()
            || Chain.same(chain.mac(head, line.bytes(), line.length()), line.storedMac()));
  }

  /**
   * Whether the line's hex fields are its true ones with some digits not written yet: a seal cut
   * short.
   */
  private boolean sealCutShort(TrailLine line) {
    byte[] head = chain.head();
    byte[] bytes = line.bytes();
    int length = line.length();
    return TrailFormat.isPartlyWritten(
            bytes, TrailFormat.chainHexStart(length), chain.link(head, bytes, length))
        && (!line.isCheckpoint()
            || TrailFormat.isPartlyWritten(
                bytes, TrailFormat.macHexStart(length), chain.mac(head, bytes, length)));
  }

  private void accept(TrailLine line) {
    chain.accept(line.storedChain());
    if (line.isCheckpoint()) {
      lastSeq = Math.max(lastSeq, line.lastSeq());
      lastKind = line.kind();
      rotatesTo = line.number("next");
    } else {
      lastSeq = line.seq();
      lastKind = null;
    }
  }

  private static TrailLine parse(MappedByteBuffer data, int from, int to) {
    byte[] bytes = new byte[to - from];
    data.get(from, bytes, 0, bytes.length);
    try {
      return TrailLine.parse(bytes, 0, bytes.length);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** Where the line starting at {@code from} ends: at its newline, a zero byte, or {@code end}. */
  private static int lineEnd(MappedByteBuffer data, int from, int end) {
    int at = from;
    while (at < end && data.get(at) != '\n' && data.get(at) != 0) {
      at++;
    }
    return at;
  }

  /** Where the file's content ends: after its last byte that is not zero. */
  private static int contentEnd(MappedByteBuffer data) {
    int end = data.limit();
    while (end > 0 && data.get(end - 1) == 0) {
      end--;
    }
    return end;
  }
}
