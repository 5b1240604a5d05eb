package xcm.coordinator.cli;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The commands people run most, {@code status [--host H] [--snapshot]}, {@code ops [ID]} and {@code
 * migrate DOMAIN HOST [--force] [--no-wait]} with the connection's options, parsed without picocli:
 * its model of the commands cost more than all the rest of such a command. status parsed by picocli
 * took 0.65 s of CPU and 61 MB, by this 0.26 s and 41 MB, both from a class-data archive (at a load
 * of 6): picocli's 170 classes, built for Java 5, are ones an archive cannot hold.
 *
 * <p>It takes only what picocli would parse into the same fields: every option once, by its name or
 * as {@code --name=value}, a value that does not start with {@code -}, the positional parameters in
 * their number. Anything else (help, a typo, {@code --}, an {@code @file}, a command not listed
 * here) is left to picocli, which then parses, runs or explains it as before. QuickPathTest holds
 * the two to the same fields for the same words.
 *
 * <p>Thread-safe: stateless.
 */
final class QuickPath {
  private static final Set<String> CONNECTION = Set.of("--url", "--user", "--password-file");

  private QuickPath() {}

  /** A command the quick path can run, printing to the output it is given. */
  interface Command {
    int call(CommandOutput output);
  }

  /** The command {@code args} name with its fields set, or null for picocli to parse. */
  static Command parse(String... args) {
    if (args.length == 0) {
      return null;
    }
    try {
      return switch (args[0]) {
        case "status" -> status(args);
        case "ops" -> ops(args);
        case "migrate" -> migrate(args);
        default -> null;
      };
    } catch (InvalidPathException e) {
      // picocli's message for it.
      return null;
    }
  }

  private static StatusCommand status(String[] args) {
    Words words = Words.of(args, Set.of("--host"), Set.of("--snapshot"));
    if (words == null || !words.positional.isEmpty()) {
      return null;
    }
    StatusCommand status = new StatusCommand();
    status.connection = words.connection();
    status.host = words.options.get("--host");
    status.snapshot = words.options.containsKey("--snapshot");
    return status;
  }

  private static OpsCommand ops(String[] args) {
    Words words = Words.of(args, Set.of(), Set.of());
    if (words == null || words.positional.size() > 1) {
      return null;
    }
    OpsCommand ops = new OpsCommand();
    ops.connection = words.connection();
    ops.id = words.positional.isEmpty() ? null : words.positional.get(0);
    return ops;
  }

  private static OperationCommands.Migrate migrate(String[] args) {
    Words words = Words.of(args, Set.of(), Set.of("--force", "--no-wait"));
    if (words == null || words.positional.size() != 2) {
      return null;
    }
    OperationCommands.Migrate migrate = new OperationCommands.Migrate();
    migrate.connection = words.connection();
    migrate.domain = words.positional.get(0);
    migrate.host = words.positional.get(1);
    migrate.force = words.options.containsKey("--force");
    migrate.noWait = words.options.containsKey("--no-wait");
    return migrate;
  }

  /** A command's words after its name: options by name (a flag's value is ""), then the rest. */
  private record Words(Map<String, String> options, List<String> positional) {

    /** Null when a word is not one the quick path takes as picocli would. */
    static Words of(String[] args, Set<String> valued, Set<String> flags) {
      Map<String, String> options = new HashMap<>();
      List<String> positional = new ArrayList<>();
      for (int i = 1; i < args.length; i++) {
        String word = args[i];
        if (word.startsWith("@")) {
          return null;
        }
        if (!word.startsWith("-")) {
          positional.add(word);
          continue;
        }
        int equals = word.indexOf('=');
        String name = equals < 0 ? word : word.substring(0, equals);
        String value;
        if (valued.contains(name) || CONNECTION.contains(name)) {
          if (equals >= 0) {
            value = word.substring(equals + 1);
          } else if (i + 1 < args.length) {
            value = args[++i];
          } else {
            return null;
          }
          if (value.isEmpty() || value.startsWith("-") || value.startsWith("@")) {
            return null;
          }
        } else if (flags.contains(name) && equals < 0) {
          value = "";
        } else {
          return null;
        }
        if (options.put(name, value) != null) {
          return null;
        }
      }
      return new Words(options, positional);
    }

    Connection connection() {
      Connection connection = new Connection();
      connection.url = options.get("--url");
      connection.user = options.get("--user");
      String file = options.get("--password-file");
      connection.passwordFile = file == null ? null : Path.of(file);
      return connection;
    }
  }
}
