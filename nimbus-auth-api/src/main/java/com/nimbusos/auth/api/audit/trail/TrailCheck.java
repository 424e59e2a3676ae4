package com.nimbusos.auth.api.audit.trail;

import java.util.Map;
import java.util.TreeMap;

/**
 * Follows a trail line by line and stops at the first thing wrong, saying where and what. The trail
 * comes in segments: files, each opened by an {@code open} checkpoint and ended by a {@code
 * rotate}, {@code close} or {@code recover} one; or one node's rows of a table, where such runs
 * follow each other.
 */
final class TrailCheck {

  /** How far a recovery may leave sequence numbers out before the gap is taken for damage. */
  private static final long LARGEST_GAP = 1_000_000;

  private final Chain chain;

  /** Whether the trail checked is unsigned: its checkpoints sealed under the public key. */
  private final boolean unsigned;

  private final boolean files;
  private final boolean partial;
  private final boolean openTail;

  private byte[] head;
  private long nextSeq = -1;
  private long lastFile = -1;
  private long rotatesTo = -1;
  private String terminal;
  private boolean runOpen;
  private int segmentLines;
  private final TreeMap<Long, String> missing = new TreeMap<>();
  private long events;
  private long firstSeq = -1;
  private long checkpoints;
  private long sinceCheckpoint;
  private int segments;
  private String anchor;
  private String lastTime;
  private String where;
  private String problem;

  /**
   * @param files whether segments are files (else runs in one node's rows)
   * @param partial whether the trail given may continue an earlier part not given
   * @param openTail whether the last segment may still be being written
   */
  TrailCheck(byte[] key, boolean files, boolean partial, boolean openTail) {
    this.chain = new Chain(key, Chain.GENESIS);
    this.unsigned = java.util.Arrays.equals(key, Chain.UNSIGNED_KEY);
    this.files = files;
    this.partial = partial;
    this.openTail = openTail;
    this.head = partial ? null : Chain.GENESIS;
  }

  boolean acceptsOpenTail() {
    return openTail;
  }

  void startSegment() {
    segments++;
    segmentLines = 0;
    if (files) {
      terminal = null;
    }
  }

  /**
   * Checks the next line.
   *
   * @return {@code false} at the first problem, which {@link #result} then reports
   */
  boolean line(String at, byte[] source, int offset, int length) {
    TrailLine line;
    try {
      line = TrailLine.parse(source, offset, length);
    } catch (IllegalArgumentException e) {
      return fail(at, "not a trail record: " + e.getMessage());
    }
    if (!line.isSealed()) {
      return fail(
          at,
          "not sealed (no chain value yet): the writer stopped before sealing it; start the sink on this"
              + " trail once to recover it");
    }
    boolean first = segmentLines++ == 0;
    if (!structureHolds(at, line, first) || !linkHolds(at, line, first)) {
      return false;
    }
    head = line.storedChain();
    return line.isCheckpoint() ? checkpoint(at, line) : event(at, line);
  }

  /** Checks how the segment ended; {@code where} names its end. */
  boolean endSegment(String at, boolean last) {
    if (segmentLines == 0) {
      return fail(
          at, "no records at all, not even the \"open\" checkpoint every segment starts with");
    }
    boolean unfinished = files ? terminal == null : runOpen;
    if (unfinished && !(last && openTail)) {
      return fail(
          at,
          "ends without a closing checkpoint after its last record: records after it were cut off, or"
              + " its writer stopped uncleanly (start the sink once to recover; a tail still being written: --open)");
    }
    if (files && last && "rotate".equals(terminal)) {
      return fail(at, "ends with a rotation to file #" + rotatesTo + ", which was not given");
    }
    return true;
  }

  /** What was found: the first problem, or a summary. */
  TrailVerifier.Verification result() {
    StringBuilder summary =
        new StringBuilder().append(events).append(events == 1 ? " record" : " records");
    if (events > 0) {
      summary.append(" (seq ").append(firstSeq).append('–').append(nextSeq - 1).append(')');
    }
    summary
        .append(", ")
        .append(checkpoints)
        .append(" checkpoints, ")
        .append(segments)
        .append(
            files ? (segments == 1 ? " file" : " files") : (segments == 1 ? " node" : " nodes"));
    if (lastTime != null) {
      summary.append("; last checkpoint at ").append(lastTime);
    }
    if (anchor != null) {
      summary.append("; ").append(anchor);
    }
    if (problem == null && (files ? terminal == null : runOpen)) {
      summary
          .append("; ")
          .append(sinceCheckpoint)
          .append(
              " records after the last checkpoint are attested by the chain only" + " (open tail)");
    }
    return new TrailVerifier.Verification(problem == null, where, problem, summary.toString());
  }

  private boolean structureHolds(String at, TrailLine line, boolean first) {
    String kind = line.kind();
    boolean open = "open".equals(kind);
    if (files) {
      if (first) {
        return opensFile(at, line, open);
      }
      if (open) {
        return fail(at, "an \"open\" checkpoint in the middle of a file");
      }
      boolean endsRecoveredFile =
          "recover".equals(terminal) && line.isTerminal() && !"recover".equals(line.kind());
      if (terminal != null && !endsRecoveredFile) {
        return fail(at, "a record after the file's \"" + terminal + "\" checkpoint");
      }
      return true;
    }
    if (open) {
      if (runOpen) {
        return fail(
            at,
            "a new run starts, but the previous one has no closing checkpoint: its last records were removed");
      }
      runOpen = true;
      terminal = null;
      return true;
    }
    if (!runOpen) {
      if (first && segments == 1 && partial) {
        runOpen = true;
        return true;
      }
      return fail(
          at,
          first
              ? "does not start with an \"open\" checkpoint: its beginning is missing"
              : "a record after the run's \""
                  + terminal
                  + "\" checkpoint, without a new \"open\" checkpoint");
    }
    return true;
  }

  private boolean opensFile(String at, TrailLine line, boolean open) {
    if (!open) {
      return fail(
          at, "the file does not start with an \"open\" checkpoint: its beginning is missing");
    }
    long index = line.number("file");
    if (index < 1) {
      return fail(at, "the \"open\" checkpoint names no file number");
    }
    if (lastFile >= 0 && index != lastFile + 1) {
      return fail(
          at,
          index > lastFile + 1
              ? "this is file #"
                  + index
                  + ", but file #"
                  + (lastFile + 1)
                  + " should follow file #"
                  + lastFile
                  + ": "
                  + (index - lastFile - 1)
                  + " file(s) missing"
              : "this is file #" + index + ", out of order after file #" + lastFile);
    }
    if (lastFile < 0 && index != 1 && !partial) {
      return fail(
          at,
          "the trail starts at file #"
              + index
              + ": files #1 to #"
              + (index - 1)
              + " are missing (give them"
              + " too, or verify a later part of the trail alone with --partial)");
    }
    lastFile = index;
    return true;
  }

  private boolean linkHolds(String at, TrailLine line, boolean first) {
    if (head == null) {
      boolean trailStart =
          line.isCheckpoint()
              && "open".equals(line.kind())
              && line.lastSeq() == 0
              && (!files || line.number("file") == 1);
      if (!trailStart) {
        anchor =
            "the first record ("
                + at
                + ") is taken as given: it continues a part of the trail not checked";
        return true;
      }
      head = Chain.GENESIS;
    }
    int length = line.length();
    if (!Chain.same(chain.link(head, line.bytes(), length), line.storedChain())) {
      return fail(at, brokenLink(line, first));
    }
    if (line.isCheckpoint()
        && !Chain.same(chain.mac(head, line.bytes(), length), line.storedMac())) {
      return fail(
          at,
          unsigned
              ? "the checkpoint is not an unsigned trail's: the trail is signed (give its audit key), or it was altered"
              : "the checkpoint's HMAC does not verify: the trail was rewritten up to here without the audit key, the"
                  + " key given is not this trail's, or the trail is unsigned (verify it with --unsigned)");
    }
    return true;
  }

  private String brokenLink(TrailLine line, boolean first) {
    if (!line.isCheckpoint()) {
      long seq = line.seq();
      if (nextSeq < 0 || seq == nextSeq) {
        return "seq "
            + seq
            + " was altered: its chain value does not follow from its content and the record before it";
      }
      return seq > nextSeq
          ? "expected seq "
              + nextSeq
              + ", found seq "
              + seq
              + ": "
              + range(nextSeq, seq - 1)
              + " removed"
          : "seq "
              + seq
              + " comes again after seq "
              + (nextSeq - 1)
              + ": a duplicated or moved record";
    }
    if (first && files) {
      return "the file does not continue the one before it: its first record does not link to the last record of"
          + " file #"
          + (lastFile - 1)
          + " (that file's last records were removed, or a file was replaced)";
    }
    if (nextSeq >= 0 && line.lastSeq() != nextSeq - 1) {
      return "a checkpoint after seq "
          + line.lastSeq()
          + " follows seq "
          + (nextSeq - 1)
          + ": records around it were removed, duplicated or moved";
    }
    return "the \""
        + line.kind()
        + "\" checkpoint was altered, or a record right before it removed";
  }

  private boolean event(String at, TrailLine line) {
    long seq = line.seq();
    if (nextSeq >= 0 && seq < nextSeq) {
      return fail(at, "seq " + seq + " comes again after seq " + (nextSeq - 1));
    }
    if (nextSeq >= 0 && seq > nextSeq) {
      if (seq - nextSeq > LARGEST_GAP) {
        return fail(at, "expected seq " + nextSeq + ", found seq " + seq);
      }
      for (long s = nextSeq; s < seq; s++) {
        missing.putIfAbsent(
            s, at); // legitimate only if a recovery checkpoint later lists them as lost
      }
    }
    if (firstSeq < 0) {
      firstSeq = seq;
    }
    nextSeq = seq + 1;
    events++;
    sinceCheckpoint++;
    return true;
  }

  private boolean checkpoint(String at, TrailLine line) {
    checkpoints++;
    sinceCheckpoint = 0;
    lastTime = String.valueOf(line.fields().get("time"));
    long lastSeq = line.lastSeq();
    if ("recover".equals(line.kind())) {
      line.lost().forEach(missing::remove);
      nextSeq = Math.max(nextSeq, lastSeq + 1);
    } else if (nextSeq >= 0 && lastSeq != nextSeq - 1) {
      return fail(
          at,
          "the checkpoint says the last record before it is seq "
              + lastSeq
              + ", but it is seq "
              + (nextSeq - 1));
    } else {
      nextSeq = lastSeq + 1;
    }
    if (line.isTerminal()) {
      if (!missing.isEmpty()) {
        Map.Entry<Long, String> gap = missing.firstEntry();
        return fail(
            gap.getValue(),
            "seq "
                + gap.getKey()
                + " is missing before this record, and no recovery checkpoint"
                + " accounts for it: records were removed");
      }
      terminal = line.kind();
      runOpen = false;
      rotatesTo = line.number("next");
    }
    return true;
  }

  private static String range(long from, long to) {
    return from == to
        ? "record seq " + from + " was"
        : "records seq " + from + " to " + to + " were";
  }

  /** Records the first problem, found here or by the reader of the lines; always {@code false}. */
  boolean fail(String at, String what) {
    where = at;
    problem = what;
    return false;
  }
}
