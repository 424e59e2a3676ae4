package com.nimbusos.auth.bench;

import com.nimbusos.auth.api.Environment;
import com.nimbusos.auth.api.internal.Json;
import com.nimbusos.auth.api.keys.InMemoryKeyStore;
import com.nimbusos.auth.api.keys.JdbcKeyStore;
import com.nimbusos.auth.api.keys.KeyHasher;
import com.nimbusos.auth.api.keys.StoreKeyValidator;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.glassfish.grizzly.http.server.HttpServer;
import org.glassfish.jersey.grizzly2.httpserver.GrizzlyHttpServerFactory;
import org.glassfish.jersey.server.ResourceConfig;
import org.h2.jdbcx.JdbcDataSource;

/**
 * The server of the HTTP benchmarks: the twins on Jersey + Grizzly, one port each, same defaults:
 * {@code /open} on port P, {@code /secured} (Nimbus, in-memory store) on P+1, {@code /dropwizard}
 * on P+2, and {@code /secured} over the JDBC store (H2 in memory, queries counted) on P+3.
 *
 * <p>Writes into the directory given: {@code valid.key}, {@code invalid.key} (well-formed,
 * unknown), and for the floods {@code flood-wellformed.txt} (distinct well-formed unknown keys) and
 * {@code flood-badchecksum.txt} (distinct keys whose checksum fails), one a line. Then prints
 * {@code READY} and reads commands on standard input: {@code stats} (prints {@code STATS {json}})
 * and {@code quit}.
 *
 * <p>Usage: {@code HttpBenchServer PORT DIRECTORY FLOOD_KEYS}
 */
public final class HttpBenchServer {

  private HttpBenchServer() {}

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    Path directory = Files.createDirectories(Path.of(args[1]));
    int floodKeys = Integer.parseInt(args[2]);

    KeyHasher hasher = KeyHasher.sha256();
    InMemoryKeyStore memory = new InMemoryKeyStore();
    BenchKeys keys = BenchKeys.inMemory(1000, hasher, memory);
    StoreKeyValidator memoryValidator = StoreKeyValidator.over(memory).hasher(hasher).build();

    JdbcDataSource h2 = new JdbcDataSource();
    h2.setURL("jdbc:h2:mem:http-bench;DB_CLOSE_DELAY=-1");
    CountingDataSource database = new CountingDataSource(h2);
    JdbcKeyStore jdbc = new JdbcKeyStore(database, "h2-http-bench");
    BenchKeys jdbcKeys = BenchKeys.seed(jdbc, 1000, hasher, 99);
    StoreKeyValidator jdbcValidator = StoreKeyValidator.over(jdbc).hasher(hasher).build();

    Floor.Shared<BenchApps.Caller> floor =
        new Floor.Shared<>(
            Floor.of(
                keys.keys, i -> new BenchApps.Caller("partner-" + i), Floor.Hashing.create(null)),
            null);

    Files.writeString(directory.resolve("valid.key"), keys.keys[1]);
    Files.writeString(directory.resolve("invalid.key"), keys.unknown[0]);
    Files.writeString(directory.resolve("jdbc-valid.key"), jdbcKeys.keys[1]);
    SplittableRandom random = new SplittableRandom(2024);
    try (BufferedWriter wellFormed =
            Files.newBufferedWriter(directory.resolve("flood-wellformed.txt"));
        BufferedWriter badChecksum =
            Files.newBufferedWriter(directory.resolve("flood-badchecksum.txt"))) {
      for (int i = 0; i < floodKeys; i++) {
        wellFormed.write(BenchKeys.wellFormed(Environment.PRODUCTION, random));
        wellFormed.newLine();
        badChecksum.write(
            BenchKeys.withBadChecksum(BenchKeys.wellFormed(Environment.PRODUCTION, random)));
        badChecksum.newLine();
      }
    }

    List<HttpServer> servers = new ArrayList<>();
    servers.add(start(port, BenchApps.open()));
    servers.add(start(port + 1, BenchApps.secured(memoryValidator, BenchApps.nimbusConfig(false))));
    servers.add(start(port + 2, BenchApps.dropwizard(floor)));
    servers.add(start(port + 3, BenchApps.secured(jdbcValidator, BenchApps.nimbusConfig(false))));
    System.out.println("READY");
    System.out.flush();

    BufferedReader commands =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String command;
    while ((command = commands.readLine()) != null && !command.equals("quit")) {
      if (command.equals("stats")) {
        Map<String, Object> stats = new LinkedHashMap<>();
        stats.put("jdbcStatements", database.statements());
        stats.put("jdbcConnections", database.connections());
        stats.put("auditEvents", CountingAuditSink.events());
        stats.put("auditDenied", CountingAuditSink.denied());
        System.out.println("STATS " + Json.write(stats).replace("\n", " "));
        System.out.flush();
      }
    }
    servers.forEach(HttpServer::shutdownNow);
    memoryValidator.close();
    jdbcValidator.close();
  }

  private static HttpServer start(int port, ResourceConfig config) throws IOException {
    HttpServer server =
        GrizzlyHttpServerFactory.createHttpServer(
            URI.create("http://127.0.0.1:" + port + "/"), config, false);
    server.start();
    return server;
  }
}
