package com.nimbusos.auth.api.cli;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Another process revoking keys through the admin CLI's own code, one per line of standard input, and
 * answering each with {@link System#nanoTime()} taken right after the command returned (or {@code error N}).
 * Started once by the revocation-bound trials so that a hundred revocations do not cost a hundred JVM starts;
 * on Linux, {@code nanoTime} is the system's monotonic clock, shared by every process.
 *
 * <p>Usage: {@code RevokingAdmin <store spec>}
 */
public final class RevokingAdmin {

  private RevokingAdmin() {}

  /** Revokes until standard input ends. */
  public static void main(String[] args) throws Exception {
    PrintStream quiet = new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String keyId = in.readLine(); keyId != null; keyId = in.readLine()) {
      int status = new KeyAdmin(quiet, System.err, System::getenv).run(new String[] {"revoke", "--store", args[0], "--key-id", keyId});
      long returned = System.nanoTime();
      System.out.println(status == 0 ? Long.toString(returned) : "error " + status);
      System.out.flush();
    }
  }
}
