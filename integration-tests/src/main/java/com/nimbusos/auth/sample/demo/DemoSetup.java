package com.nimbusos.auth.sample.demo;

import com.nimbusos.auth.api.PresentedKey;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Prepares the demo before the container starts: checks that its ports are free, then makes fresh demo
 * keys. The clear keys go to {@code keys.properties} for the person trying the demo; the server only gets
 * their SHA-256 hashes, as a real deployment would.
 *
 * <p>Usage: {@code DemoSetup <demo-dir> <port>...}
 */
public final class DemoSetup {

  private static final String BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  private static final int SECRET_LENGTH = 32; // 32 base62 characters: about 190 bits
  private static final SecureRandom RANDOM = new SecureRandom();

  private DemoSetup() {}

  /** Checks the ports, writes the keys, prints them. */
  public static void main(String[] args) throws IOException {
    Path dir = Path.of(args[0]);
    for (int i = 1; i < args.length; i++) {
      requireFree(Integer.parseInt(args[i]));
    }
    Files.createDirectories(dir);
    Map<String, DemoKey> keys = new LinkedHashMap<>();
    keys.put("read", new DemoKey("k_demo_read", "sk_test_", "sandbox", "orders:read", false));
    keys.put("write", new DemoKey("k_demo_write", "sk_test_", "sandbox", "orders:read orders:write", false));
    keys.put("revoked", new DemoKey("k_demo_revoked", "sk_test_", "sandbox", "orders:read orders:write", true));
    keys.put("production", new DemoKey("k_demo_live", "sk_live_", "production", "orders:read orders:write", false));

    StringBuilder clear = new StringBuilder("# Demo keys, in clear for you to try: never do this with real keys.\n");
    StringBuilder hashed = new StringBuilder("# Demo keys as the server stores them: SHA-256 only.\n");
    for (Map.Entry<String, DemoKey> entry : keys.entrySet()) {
      DemoKey key = entry.getValue();
      clear.append(entry.getKey()).append('=').append(key.value).append('\n');
      hashed.append(key.hashedEntry());
    }
    write(dir.resolve("keys.properties"), clear.toString());
    write(dir.resolve("keys.hashed.properties"), hashed.toString());

    System.out.println();
    System.out.println("Nimbus Auth demo keys (also in " + dir.resolve("keys.properties") + "):");
    keys.forEach((name, key) -> System.out.printf("  %-10s %s%n", name, key.value));
    System.out.println();
    System.out.println("Once the server says it is ready, try:");
    System.out.println("  curl -k https://localhost:8443/orders -H \"X-API-Key: " + keys.get("read").value + "\"");
    System.out.println("  curl -k https://localhost:8443/orders");
    System.out.println("  curl -k -X POST https://localhost:8443/orders -H \"X-API-Key: " + keys.get("read").value + "\"");
    System.out.println("Stop with Ctrl-C.");
    System.out.println();
  }

  private static void requireFree(int port) {
    try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getByName("0.0.0.0"))) {
      socket.setReuseAddress(true);
    } catch (IOException e) {
      System.err.println("Port " + port + " is already in use: stop what listens there, then run the demo again.");
      System.exit(2);
    }
  }

  private static void write(Path file, String content) throws IOException {
    Path temp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
    Files.writeString(temp, content);
    Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private static final class DemoKey {
    final String id;
    final String value;
    final String environment;
    final String scopes;
    final boolean revoked;

    DemoKey(String id, String prefix, String environment, String scopes, boolean revoked) {
      this.id = id;
      this.environment = environment;
      this.scopes = scopes;
      this.revoked = revoked;
      StringBuilder secret = new StringBuilder(prefix);
      for (int i = 0; i < SECRET_LENGTH; i++) {
        secret.append(BASE62.charAt(RANDOM.nextInt(BASE62.length())));
      }
      this.value = secret.toString();
    }

    String hashedEntry() {
      String p = "key." + id + ".";
      return p + "sha256=" + HexFormat.of().formatHex(PresentedKey.of(value).sha256()) + "\n"
          + p + "owner=demo-partner\n"
          + p + "environment=" + environment + "\n"
          + p + "scopes=" + scopes + "\n"
          + p + "revoked=" + revoked + "\n";
    }
  }
}
