package com.nimbusos.auth.contract;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SSLContext;

/**
 * Sends exactly the bytes given over a socket and reads the reply: hostile requests (NUL, CRLF,
 * non-ASCII, megabyte headers) that well-behaved clients refuse to send. Speaks HTTP/1.1 with
 * {@code Connection: close}; HTTPS when given an {@link SSLContext}.
 */
public final class RawHttp {

  private final URI base;
  private final SSLContext tls;

  /**
   * @param base where the app listens ({@code http://host:port/} or {@code https://…})
   * @param tls the TLS context for HTTPS, or {@code null}
   */
  public RawHttp(URI base, SSLContext tls) {
    this.base = base;
    this.tls = tls;
  }

  /**
   * Sends one request.
   *
   * @return the reply, or {@code null} when the server closed the connection without one
   */
  public Reply send(byte[] request, boolean head) throws IOException {
    int port = base.getPort() > 0 ? base.getPort() : base.getScheme().equals("https") ? 443 : 80;
    try (Socket socket = open(base.getHost(), port)) {
      socket.setSoTimeout(30_000);
      OutputStream out = socket.getOutputStream();
      try {
        out.write(request);
        out.flush();
      } catch (IOException e) {
        // The server may refuse an oversized request before reading all of it; its answer may still
        // be there.
      }
      return read(socket.getInputStream(), head);
    }
  }

  private Socket open(String host, int port) throws IOException {
    Socket socket = new Socket();
    // No Nagle: the TLS handshake's last flight and the request are separate small writes, which
    // would
    // otherwise wait for the server's delayed ACK (about 40 ms on Linux) on every request.
    socket.setTcpNoDelay(true);
    socket.connect(new InetSocketAddress(host, port), 10_000);
    return tls == null ? socket : tls.getSocketFactory().createSocket(socket, host, port, true);
  }

  private static Reply read(InputStream in, boolean head) throws IOException {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    try {
      for (int n; (n = in.read(buffer)) >= 0; ) {
        all.write(buffer, 0, n);
      }
    } catch (IOException e) {
      if (all.size() == 0) {
        return null;
      }
    }
    String text = all.toString(StandardCharsets.ISO_8859_1);
    int end = text.indexOf("\r\n\r\n");
    if (!text.startsWith("HTTP/") || end < 0) {
      return null;
    }
    String[] lines = text.substring(0, end).split("\r\n");
    int status = Integer.parseInt(lines[0].split(" ")[1]);
    Map<String, List<String>> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0) {
        headers
            .computeIfAbsent(
                lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT),
                k -> new ArrayList<>())
            .add(lines[i].substring(colon + 1).strip());
      }
    }
    String body = head ? "" : text.substring(end + 4);
    if (!head && headers.getOrDefault("transfer-encoding", List.of()).contains("chunked")) {
      body = dechunk(body);
    }
    return new Reply(
        status,
        headers,
        new String(body.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8));
  }

  private static String dechunk(String chunked) {
    StringBuilder body = new StringBuilder();
    int at = 0;
    while (at < chunked.length()) {
      int lineEnd = chunked.indexOf("\r\n", at);
      if (lineEnd < 0) {
        break;
      }
      int size = Integer.parseInt(chunked.substring(at, lineEnd).split(";")[0].strip(), 16);
      if (size == 0) {
        break;
      }
      body.append(chunked, lineEnd + 2, Math.min(chunked.length(), lineEnd + 2 + size));
      at = lineEnd + 2 + size + 2;
    }
    return body.toString();
  }
}
