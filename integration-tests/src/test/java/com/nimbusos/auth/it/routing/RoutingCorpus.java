package com.nimbusos.auth.it.routing;

import com.nimbusos.auth.contract.HostileInputContract;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The checked-in routing corpus, {@code routing-corpus.tsv} (its header documents the columns):
 * requests whose method and target try to make the application serve something other than what
 * Nimbus Auth decided.
 */
public final class RoutingCorpus {

  /**
   * One line of the corpus.
   *
   * @param line its line number, to find it in the file
   * @param method the method, as sent (escapes decoded)
   * @param target the raw request target as written in the file (escapes not yet decoded)
   * @param key the key sent
   * @param served whether this is a positive control: it must be served (and pass the oracle)
   * @param headers extra header lines as written in the file, {@code \r\n}-separated, or empty
   */
  public record Case(
      int line, String method, String target, ProbeKey key, boolean served, String headers) {

    /**
     * The request's bytes: request line, {@code Host}, {@code Connection: close}, the key, the
     * extra headers.
     */
    public byte[] request(String host) {
      ByteArrayOutputStream request = new ByteArrayOutputStream();
      request.writeBytes(HostileInputContract.decode(method + " " + target));
      write(request, " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n");
      if (key.key() != null) {
        write(request, "X-API-Key: " + key.key() + "\r\n");
      }
      if (!headers.isEmpty()) {
        request.writeBytes(HostileInputContract.decode(headers));
        write(request, "\r\n");
      }
      if (!method.equals("GET") && !method.equals("HEAD")) {
        write(request, "Content-Length: 0\r\n");
      }
      write(request, "\r\n");
      return request.toByteArray();
    }

    public RoutingOracle.Sent sent() {
      return new RoutingOracle.Sent(method, target, key);
    }

    @Override
    public String toString() {
      return "line "
          + line
          + ": "
          + method
          + " "
          + target
          + " ["
          + key
          + "]"
          + (headers.isEmpty() ? "" : " " + headers)
          + (served ? " (must be served)" : "");
    }
  }

  private RoutingCorpus() {}

  /** The corpus, parsed; fails on a malformed line. */
  public static List<Case> cases() {
    List<Case> cases = new ArrayList<>();
    String[] lines;
    try (InputStream in = RoutingCorpus.class.getResourceAsStream("routing-corpus.tsv")) {
      lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n", -1);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      String[] columns = line.split("\t", -1);
      if (columns.length < 3 || columns.length > 5) {
        throw new IllegalStateException(
            "routing-corpus.tsv line " + (i + 1) + " needs 3 to 5 tab-separated columns: " + line);
      }
      String expect = columns.length > 3 ? columns[3].strip() : "";
      if (!expect.isEmpty() && !expect.equals("-") && !expect.equals("served")) {
        throw new IllegalStateException(
            "routing-corpus.tsv line " + (i + 1) + ": expect is '-' or 'served': " + line);
      }
      cases.add(
          new Case(
              i + 1,
              columns[0],
              columns[1],
              ProbeKey.valueOf(columns[2].strip().toUpperCase(Locale.ROOT)),
              expect.equals("served"),
              columns.length > 4 ? columns[4] : ""));
    }
    return cases;
  }

  private static void write(ByteArrayOutputStream out, String text) {
    out.writeBytes(text.getBytes(StandardCharsets.UTF_8));
  }
}
