package com.nimbusos.auth.api.cli;

import com.nimbusos.auth.api.Environment;
import com.nimbusos.auth.api.audit.trail.TrailVerifier;
import com.nimbusos.auth.api.keys.CreatedKey;
import com.nimbusos.auth.api.keys.JdbcKeyStore;
import com.nimbusos.auth.api.keys.JsonFileKeyStore;
import com.nimbusos.auth.api.keys.KeyHasher;
import com.nimbusos.auth.api.keys.KeyManager;
import com.nimbusos.auth.api.keys.KeyRecord;
import com.nimbusos.auth.api.keys.KeyStore;
import com.nimbusos.auth.api.keys.KeyStoreException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The admin command line: create, rotate, revoke and list keys in a JSON file or JDBC store, and
 * verify an audit trail. Only {@code create} and {@code rotate} ever print a key, once. Secrets
 * (pepper, database password, audit key) are read from environment variables named on the command
 * line, never from the command line itself, where {@code ps} would show them.
 */
public final class KeyAdmin {

  static final String USAGE =
      """
      Usage: java -jar nimbus-auth-api.jar <command> --store <store> [options]

      Stores:
        --store json-file:<path>          a JSON key file (created on first write)
        --store jdbc:<jdbc-url>           a database; put its driver on the class path (java -cp ...)
          --user <name>                   database user
          --password-env <VAR>            environment variable holding the database password
        --pepper-env <VAR>                environment variable holding the server's pepper, if it uses one

      Commands:
        create --owner <partner> --environment sandbox|production [--scopes "a b"] [--expires <instant>]
        rotate --key-id <id> [--grace-until <instant>]
        revoke --key-id <id>
        list

      Instants are ISO-8601, e.g. 2027-01-31T00:00:00Z.

      Audit trail (exit 0 intact, 1 broken: the first broken record is named):
        audit verify (--key-env <VAR> | --unsigned) [--partial] [--open] <file>...
                                          the trail's files in the order written (audit.*.jsonl)
        audit verify --key-env <VAR> --jdbc <jdbc-url> [--user <name>] [--password-env <VAR>] [--node <id>]
                                          the table's chains, every node's unless one is named
          --key-env <VAR>                 environment variable holding the audit key
          --unsigned                      the trail was written without nimbus.auth.audit.key (the default)
          --partial                       the files are a later part of the trail: take the first record as given
          --open                          the last file is still being written: accept its unfinished tail
      """;

  private final PrintStream out;
  private final PrintStream err;
  private final Function<String, String> environment;

  KeyAdmin(PrintStream out, PrintStream err, Function<String, String> environment) {
    this.out = out;
    this.err = err;
    this.environment = environment;
  }

  /** Runs one command; exits 0 on success, 1 when the store fails, 2 on a usage error. */
  public static void main(String[] args) {
    System.exit(new KeyAdmin(System.out, System.err, System::getenv).run(args));
  }

  int run(String[] args) {
    try {
      if (args.length == 0 || args[0].equals("--help") || args[0].equals("help")) {
        out.print(USAGE);
        return args.length == 0 ? 2 : 0;
      }
      String command = args[0];
      if (command.equals("audit")) {
        return audit(Arrays.copyOfRange(args, 1, args.length));
      }
      Map<String, String> options = options(Arrays.copyOfRange(args, 1, args.length));
      KeyManager manager =
          new KeyManager(store(required(options, "store"), options), hasher(options));
      switch (command) {
        case "create" -> {
          only(
              options,
              "store",
              "user",
              "password-env",
              "pepper-env",
              "owner",
              "environment",
              "scopes",
              "expires");
          show(
              manager.create(
                  required(options, "owner"),
                  Environment.parse(required(options, "environment")),
                  scopes(options.getOrDefault("scopes", "")),
                  instant(options, "expires")));
        }
        case "rotate" -> {
          only(options, "store", "user", "password-env", "pepper-env", "key-id", "grace-until");
          show(manager.rotate(required(options, "key-id"), instant(options, "grace-until")));
        }
        case "revoke" -> {
          only(options, "store", "user", "password-env", "pepper-env", "key-id");
          KeyRecord revoked = manager.revoke(required(options, "key-id"));
          out.println("Revoked " + revoked.keyId() + " at " + revoked.revokedAt());
        }
        case "list" -> {
          only(options, "store", "user", "password-env", "pepper-env");
          list(manager.list());
        }
        default -> throw new UsageException("unknown command '" + command + "'");
      }
      return 0;
    } catch (UsageException | IllegalArgumentException e) {
      err.println("error: " + e.getMessage());
      err.println("Run with --help for usage.");
      return 2;
    } catch (KeyStoreException e) {
      err.println("error: " + e.getMessage());
      return 1;
    }
  }

  /** {@code audit verify}: 0 when the trail is intact, 1 when it is broken or cannot be read. */
  private int audit(String[] args) {
    if (args.length == 0 || !args[0].equals("verify")) {
      throw new UsageException("the audit command is 'audit verify'");
    }
    Map<String, String> options = new HashMap<>();
    Set<String> flags = new java.util.HashSet<>();
    List<Path> files = new java.util.ArrayList<>();
    for (int i = 1; i < args.length; i++) {
      String arg = args[i];
      if (arg.equals("--partial") || arg.equals("--open") || arg.equals("--unsigned")) {
        flags.add(arg.substring(2));
      } else if (arg.startsWith("--")) {
        if (i + 1 >= args.length || options.put(arg.substring(2), args[++i]) != null) {
          throw new UsageException("option " + arg + " needs one value, once");
        }
      } else {
        files.add(Path.of(arg));
      }
    }
    only(options, "key-env", "jdbc", "user", "password-env", "node");
    // An unsigned trail is verified only when asked for by name: a forgotten --key-env must not
    // quietly
    // weaken the check to one a rewritten trail passes.
    if (flags.contains("unsigned") == options.containsKey("key-env")) {
      throw new UsageException(
          "give either --key-env <VAR> (a trail signed under nimbus.auth.audit.key) or --unsigned");
    }
    TrailVerifier verifier =
        flags.contains("unsigned")
            ? TrailVerifier.unsigned()
            : TrailVerifier.withKey(
                secret(options.get("key-env")).getBytes(StandardCharsets.UTF_8));
    verifier = flags.contains("partial") ? verifier.acceptingPartialTrail() : verifier;
    verifier = flags.contains("open") ? verifier.acceptingOpenTail() : verifier;
    try {
      if (!options.containsKey("jdbc")) {
        if (files.isEmpty()) {
          throw new UsageException("name the trail's files, in the order they were written");
        }
        return report(verifier, verifier.verifyFiles(files));
      }
      if (!files.isEmpty()) {
        throw new UsageException("give either files or --jdbc, not both");
      }
      String url = options.get("jdbc");
      String password =
          options.containsKey("password-env") ? secret(options.get("password-env")) : null;
      DriverManagerDataSource dataSource =
          new DriverManagerDataSource(url, options.get("user"), password);
      List<String> nodes =
          options.containsKey("node")
              ? List.of(options.get("node"))
              : TrailVerifier.nodes(dataSource);
      if (nodes.isEmpty()) {
        err.println("error: no audit records in " + redactUrl(url));
        return 1;
      }
      for (String node : nodes) {
        if (report(verifier, verifier.verifyTable(dataSource, node)) != 0) {
          return 1;
        }
      }
      return 0;
    } catch (java.io.IOException | java.sql.SQLException e) {
      err.println("error: cannot read the trail: " + e.getMessage());
      return 1;
    }
  }

  private int report(TrailVerifier verifier, TrailVerifier.Verification verification) {
    if (verification.intact()) {
      out.println("intact: " + verification.summary());
      if (!verifier.signed()) {
        out.println(
            "unsigned trail: a record changed, removed, duplicated or moved would have been found, but not a"
                + " tail cut at a checkpoint or a chain rewritten whole; set nimbus.auth.audit.key to sign it");
      }
      return 0;
    }
    out.println("BROKEN at " + verification.where() + ": " + verification.problem());
    out.println("checked up to there: " + verification.summary());
    return 1;
  }

  private void show(CreatedKey created) {
    KeyRecord record = created.record();
    out.println("Key id:      " + record.keyId());
    out.println("Owner:       " + record.owner());
    out.println("Environment: " + record.environment().configName());
    out.println("Scopes:      " + String.join(" ", new java.util.TreeSet<>(record.scopes())));
    out.println("Expires:     " + (record.expiresAt() == null ? "never" : record.expiresAt()));
    out.println();
    out.println("API key (shown once; store it in your secret manager now):");
    out.println(created.key());
  }

  private void list(List<KeyRecord> records) {
    String format = "%-21s %-16s %-10s %-28s %-5s %-20s %-20s %-20s %-20s%n";
    out.printf(
        format,
        "KEY ID",
        "OWNER",
        "ENV",
        "SCOPES",
        "LAST4",
        "CREATED",
        "EXPIRES",
        "REVOKED",
        "LAST USED");
    for (KeyRecord r : records) {
      out.printf(
          format,
          r.keyId(),
          r.owner(),
          r.environment().configName(),
          String.join(" ", new java.util.TreeSet<>(r.scopes())),
          r.last4(),
          seconds(r.createdAt()),
          seconds(r.expiresAt()),
          seconds(r.revokedAt()),
          seconds(r.lastUsedAt()));
    }
  }

  private KeyStore store(String spec, Map<String, String> options) throws KeyStoreException {
    if (spec.startsWith("json-file:")) {
      return JsonFileKeyStore.open(Path.of(spec.substring("json-file:".length())));
    }
    if (spec.startsWith("jdbc:")) {
      String password =
          options.containsKey("password-env") ? secret(options.get("password-env")) : null;
      return new JdbcKeyStore(
          new DriverManagerDataSource(spec, options.get("user"), password), redactUrl(spec));
    }
    throw new UsageException("--store must start with json-file: or jdbc:");
  }

  private KeyHasher hasher(Map<String, String> options) {
    if (!options.containsKey("pepper-env")) {
      return KeyHasher.sha256();
    }
    return KeyHasher.hmacSha256(secret(options.get("pepper-env")).getBytes(StandardCharsets.UTF_8));
  }

  private String secret(String variable) {
    String value = environment.apply(variable);
    if (value == null || value.isEmpty()) {
      throw new UsageException("environment variable " + variable + " is not set");
    }
    return value;
  }

  private static Map<String, String> options(String[] args) {
    Map<String, String> options = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      if (!args[i].startsWith("--") || i + 1 >= args.length) {
        throw new UsageException("expected --option value, got '" + args[i] + "'");
      }
      if (options.put(args[i].substring(2), args[++i]) != null) {
        throw new UsageException("option " + args[i - 1] + " given twice");
      }
    }
    return options;
  }

  private static void only(Map<String, String> options, String... allowed) {
    Set<String> known = Set.of(allowed);
    for (String name : options.keySet()) {
      if (!known.contains(name)) {
        throw new UsageException("unknown option --" + name);
      }
    }
  }

  private static String required(Map<String, String> options, String name) {
    String value = options.get(name);
    if (value == null || value.isBlank()) {
      throw new UsageException("--" + name + " is required");
    }
    return value;
  }

  private static Instant instant(Map<String, String> options, String name) {
    String value = options.get(name);
    if (value == null) {
      return null;
    }
    try {
      return Instant.parse(value);
    } catch (DateTimeParseException e) {
      throw new UsageException(
          "--" + name + " must be an ISO-8601 instant like 2027-01-31T00:00:00Z");
    }
  }

  private static Set<String> scopes(String text) {
    Set<String> scopes = new LinkedHashSet<>(Arrays.asList(text.split("[\\s,]+")));
    scopes.remove("");
    return scopes;
  }

  private static String seconds(Instant instant) {
    return instant == null
        ? "-"
        : instant.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
  }

  /** A JDBC URL without credentials that some drivers accept inside it. */
  static String redactUrl(String url) {
    return url.replaceAll("(?i)(password|passwd|pwd)=[^;&]*", "$1=***");
  }

  /** A mistake in the command line. */
  static final class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
      super(message);
    }
  }
}
