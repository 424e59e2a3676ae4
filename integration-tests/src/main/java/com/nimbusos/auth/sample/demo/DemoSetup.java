package com.nimbusos.auth.sample.demo;

import com.nimbusos.auth.api.Environment;
import com.nimbusos.auth.api.keys.CreatedKey;
import com.nimbusos.auth.api.keys.JsonFileKeyStore;
import com.nimbusos.auth.api.keys.KeyHasher;
import com.nimbusos.auth.api.keys.KeyManager;
import com.nimbusos.auth.api.keys.KeyStoreException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Prepares the demo before the container starts: checks that its ports are free, makes the server's
 * own TLS certificate ({@link #makeCertificate}), then creates fresh demo keys with {@link
 * KeyManager} in a JSON key store, as an administrator would. The store holds only hashes; the
 * clear keys go to {@code keys.properties} for the person trying the demo.
 *
 * <p>Usage: {@code DemoSetup <demo-dir> <port>...}
 */
public final class DemoSetup {

  private static final Set<String> READ = Set.of("orders:read");
  private static final Set<String> READ_WRITE = Set.of("orders:read", "orders:write");

  /** The partner's own key manager: what the "API Keys" page signs in with. */
  private static final Set<String> MANAGE = Set.of("orders:read", "orders:write", "keys:manage");

  /** The alias of the demo's certificate in {@link #KEYSTORE}: Payara Micro's {@code --sslcert}. */
  public static final String CERTIFICATE_ALIAS = "nimbus-demo";

  /** The demo's TLS key store, in the demo directory: {@code javax.net.ssl.keyStore}. */
  public static final String KEYSTORE = "tls.p12";

  /** The demo's certificate alone, PEM, for clients: {@code curl --cacert}. */
  public static final String CERTIFICATE = "tls.pem";

  /**
   * The key store's password, {@code javax.net.ssl.keyStorePassword}. Not a secret worth keeping:
   * the key it guards is made afresh at every demo start, lives in {@code target/}, readable by its
   * owner only, and protects a sandbox demo on localhost.
   */
  public static final String KEYSTORE_PASSWORD = "nimbus-demo";

  private DemoSetup() {}

  /**
   * Makes the demo server's own certificate, afresh, with the JDK's {@code keytool}: RSA 2048 (the
   * forward-secret suites the demo allows are ECDHE_RSA), for {@code localhost} and {@code
   * 127.0.0.1}, valid 30 days. Payara Micro's built-in certificate is the same in every download,
   * so its private key is public.
   *
   * @return the PEM file of the certificate, for clients to trust
   */
  public static Path makeCertificate(Path dir) throws IOException {
    Path keystore = dir.resolve(KEYSTORE);
    Path pem = dir.resolve(CERTIFICATE);
    Files.deleteIfExists(keystore);
    Files.deleteIfExists(pem);
    String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
    run(
        List.of(
            keytool,
            "-genkeypair",
            "-alias",
            CERTIFICATE_ALIAS,
            "-keyalg",
            "RSA",
            "-keysize",
            "2048",
            "-validity",
            "30",
            "-dname",
            "CN=localhost, O=Nimbus Auth demo",
            "-ext",
            "SAN=dns:localhost,ip:127.0.0.1",
            "-storetype",
            "PKCS12",
            "-keystore",
            keystore.toString(),
            "-storepass",
            KEYSTORE_PASSWORD,
            "-keypass",
            KEYSTORE_PASSWORD));
    run(
        List.of(
            keytool,
            "-exportcert",
            "-rfc",
            "-alias",
            CERTIFICATE_ALIAS,
            "-keystore",
            keystore.toString(),
            "-storepass",
            KEYSTORE_PASSWORD,
            "-file",
            pem.toString()));
    try {
      Files.setPosixFilePermissions(keystore, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException e) {
      // not a POSIX file system: the directory's own permissions apply
    }
    return pem;
  }

  private static void run(List<String> command) throws IOException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output =
        new String(
            process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    try {
      if (process.waitFor() != 0) {
        throw new IOException("keytool failed: " + output.strip());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while keytool ran", e);
    }
  }

  /** Checks the ports, creates the keys, prints them. */
  public static void main(String[] args) throws IOException, KeyStoreException {
    Path dir = Path.of(args[0]);
    for (int i = 1; i < args.length; i++) {
      requireFree(Integer.parseInt(args[i]));
    }
    Files.createDirectories(dir);
    Path certificate = makeCertificate(dir);
    Path storeFile = dir.resolve("keys.json");
    Files.deleteIfExists(storeFile);
    KeyManager manager = new KeyManager(JsonFileKeyStore.open(storeFile), KeyHasher.sha256());

    Map<String, String> keys = new LinkedHashMap<>();
    keys.put("read", manager.create("demo-partner", Environment.SANDBOX, READ, null).key());
    keys.put("write", manager.create("demo-partner", Environment.SANDBOX, READ_WRITE, null).key());
    CreatedKey revoked = manager.create("demo-partner", Environment.SANDBOX, READ_WRITE, null);
    manager.revoke(revoked.record().keyId());
    keys.put("revoked", revoked.key());
    keys.put(
        "production",
        manager.create("demo-partner", Environment.PRODUCTION, READ_WRITE, null).key());
    keys.put("manage", manager.create("demo-partner", Environment.SANDBOX, MANAGE, null).key());

    StringBuilder clear =
        new StringBuilder("# Demo keys, in clear for you to try: never do this with real keys.\n");
    keys.forEach((name, key) -> clear.append(name).append('=').append(key).append('\n'));
    Path temp = Files.createTempFile(dir, "keys", ".tmp");
    Files.writeString(temp, clear);
    Files.move(
        temp,
        dir.resolve("keys.properties"),
        StandardCopyOption.REPLACE_EXISTING,
        StandardCopyOption.ATOMIC_MOVE);

    System.out.println();
    System.out.println("Nimbus Auth demo keys (also in " + dir.resolve("keys.properties") + "):");
    keys.forEach((name, key) -> System.out.printf("  %-10s %s%n", name, key));
    System.out.println();
    System.out.println("The server's certificate was made just now, for localhost: " + certificate);
    System.out.println(
        "Once Payara Micro says it is ready, try (--cacert trusts exactly that certificate):");
    String curl = "  curl --cacert " + certificate + " ";
    System.out.println(
        curl + "https://localhost:8443/orders -H \"X-API-Key: " + keys.get("read") + "\"");
    System.out.println(curl + "https://localhost:8443/orders");
    System.out.println(
        curl + "-X POST https://localhost:8443/orders -H \"X-API-Key: " + keys.get("read") + "\"");
    System.out.println(curl + "https://localhost:8443/health");
    System.out.println(
        "API Keys page (sign in with the manage key above; your browser will ask about the self-signed certificate):");
    System.out.println("  https://localhost:8443/api-keys/page");
    System.out.println(
        curl + "https://localhost:8443/api-keys -H \"X-API-Key: " + keys.get("manage") + "\"");
    System.out.println(
        "Manage keys while it runs from the command line too (a revoked key is refused within 20 ms of the command returning):");
    System.out.println(
        "  java -jar nimbus-auth-api/target/nimbus-auth-api-*.jar list --store json-file:"
            + storeFile);
    System.out.println("Stop with Ctrl-C.");
    System.out.println();
  }

  private static void requireFree(int port) {
    try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getByName("0.0.0.0"))) {
      socket.setReuseAddress(true);
    } catch (IOException e) {
      System.err.println(
          "Port " + port + " is already in use: stop what listens there, then run the demo again.");
      System.exit(2);
    }
  }
}
