package com.nimbusos.auth.api.cli;

import com.nimbusos.auth.api.keys.JsonFileKeyStore;
import com.nimbusos.auth.api.keys.KeyHasher;
import com.nimbusos.auth.api.keys.KeyManager;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Set;

/**
 * Another process changing keys, one change per line of standard input, and answering each with
 * {@link System#nanoTime()} taken right after the change returned (or {@code error …}). A line that
 * is a key id alone revokes it through the admin CLI's own code; {@code disable OWNER}, {@code
 * expire KEY_ID} (now) and {@code scopes KEY_ID A,B} go through a {@link KeyManager} on the store,
 * as an admin tool would (the CLI has no such commands). Started once by the trials so that a
 * hundred changes do not cost a hundred JVM starts; on Linux, {@code nanoTime} is the system's
 * monotonic clock, shared by every process.
 *
 * <p>Usage: {@code RevokingAdmin <store spec>}; the other changes need a {@code json-file:} store.
 */
public final class RevokingAdmin {

  private RevokingAdmin() {}

  /** Changes until standard input ends. */
  public static void main(String[] args) throws Exception {
    PrintStream quiet =
        new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line = in.readLine(); line != null; line = in.readLine()) {
      String[] words = line.split(" ");
      String answer;
      try {
        if (words.length == 1) {
          int status =
              new KeyAdmin(quiet, System.err, System::getenv)
                  .run(new String[] {"revoke", "--store", args[0], "--key-id", words[0]});
          answer = status == 0 ? null : "error " + status;
        } else {
          KeyManager manager =
              new KeyManager(
                  JsonFileKeyStore.open(Path.of(args[0].substring("json-file:".length()))),
                  KeyHasher.sha256());
          switch (words[0]) {
            case "disable" -> manager.disableOwner(words[1]);
            case "expire" -> manager.expire(words[1], Instant.now());
            case "scopes" -> manager.setScopes(words[1], Set.of(words[2].split(",")));
            default -> throw new IllegalArgumentException("unknown change " + words[0]);
          }
          answer = null;
        }
      } catch (Exception e) {
        answer = "error " + e;
      }
      long returned = System.nanoTime();
      System.out.println(answer == null ? Long.toString(returned) : answer);
      System.out.flush();
    }
  }
}
