package xcm.mbeans.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Typed, validated access to {@code xcm.*} configuration given as key/value strings (a properties
 * file merged with command-line options). Every error names the key and the value found; keys under
 * the prefix that nobody read fail {@link #requireAllUsed()}, so a typo cannot silently fall back
 * to a default.
 *
 * <pre>{@code
 * Settings settings = new Settings("xcm.agent.", properties);
 * Duration interval = settings.duration("sample-interval", Duration.ofSeconds(5));
 * settings.requireAllUsed();
 * }</pre>
 *
 * <p>Not thread-safe: use it while loading configuration, then drop it.
 */
public final class Settings {
  private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d)");
  private static final Pattern SIZE = Pattern.compile("(\\d+)([kmgt]?)");

  private final String prefix;
  private final Map<String, String> values;
  private final TreeSet<String> used = new TreeSet<>();

  /** Reads keys starting with {@code prefix}; keys with other prefixes are left to others. */
  public Settings(String prefix, Map<String, String> values) {
    this.prefix = prefix;
    this.values = new TreeMap<>(values);
  }

  /** The prefix every key is read under, e.g. {@code xcm.agent.}. */
  public String prefix() {
    return prefix;
  }

  /** The raw value of {@code prefix + key}, trimmed; empty values count as absent. */
  public Optional<String> string(String key) {
    String full = prefix + key;
    used.add(full);
    String value = values.get(full);
    return value == null || value.trim().isEmpty() ? Optional.empty() : Optional.of(value.trim());
  }

  public String string(String key, String defaultValue) {
    return string(key).orElse(defaultValue);
  }

  public String required(String key, String hint) {
    return string(key)
        .orElseThrow(() -> new ConfigException(prefix + key, null, "required; " + hint));
  }

  /** A TCP port 0..65535 (0 lets the system choose). */
  public int port(String key, int defaultValue) {
    return string(key).map(v -> parsePort(prefix + key, v)).orElse(defaultValue);
  }

  public Optional<Integer> port(String key) {
    return string(key).map(v -> parsePort(prefix + key, v));
  }

  /** A positive whole number. */
  public int positiveInt(String key, int defaultValue) {
    return string(key).map(v -> parsePositiveInt(prefix + key, v)).orElse(defaultValue);
  }

  /** A whole number of zero or more. */
  public int nonNegativeInt(String key, int defaultValue) {
    return string(key)
        .map(
            v -> {
              int n = parseInt(prefix + key, v, "must be a whole number of 0 or more");
              if (n < 0) {
                throw new ConfigException(prefix + key, v, "must be a whole number of 0 or more");
              }
              return n;
            })
        .orElse(defaultValue);
  }

  /**
   * A duration written as a number and a unit: {@code 500ms}, {@code 5s}, {@code 2m}, {@code 1h}.
   */
  public Duration duration(String key, Duration defaultValue) {
    return string(key).map(v -> parseDuration(prefix + key, v)).orElse(defaultValue);
  }

  /** A size written as a number and a unit: {@code 512m}, {@code 1g}, {@code 2048k}, in bytes. */
  public long bytes(String key, long defaultValue) {
    return string(key)
        .map(
            v -> {
              Matcher m = SIZE.matcher(v.trim().toLowerCase(java.util.Locale.ROOT));
              if (!m.matches()) {
                throw new ConfigException(prefix + key, v, "must be a size like 512m, 1g or 0");
              }
              long n = Long.parseLong(m.group(1));
              return switch (m.group(2)) {
                case "k" -> n << 10;
                case "m" -> n << 20;
                case "g" -> n << 30;
                case "t" -> n << 40;
                default -> n;
              };
            })
        .orElse(defaultValue);
  }

  /** An IP address or host name to bind to; resolved now so that a typo fails at start. */
  public String address(String key, String defaultValue) {
    String value = string(key, defaultValue);
    try {
      InetAddress.getByName(value);
    } catch (UnknownHostException e) {
      throw new ConfigException(prefix + key, value, "not an address this machine can resolve");
    }
    return value;
  }

  /** A file that must exist and be readable. */
  public Optional<Path> readableFile(String key) {
    return string(key)
        .map(
            v -> {
              Path path = Path.of(v);
              if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
                throw new ConfigException(prefix + key, v, "not a readable file");
              }
              return path;
            });
  }

  /**
   * A file that must exist, be readable and be its owner's only: it holds secrets that another
   * program reads (the JDK's JMX password file).
   *
   * @throws ConfigException naming the key, the path and its mode when group or others may read or
   *     write it
   */
  public Optional<Path> secretFile(String key) {
    Optional<Path> file = readableFile(key);
    file.ifPresent(path -> new SecretFile(prefix + key, path).requireOwnerOnly());
    return file;
  }

  /**
   * A secret given inline as {@code key} or, better (it stays out of process listings), in the file
   * {@code key-file}, which must be its owner's only ({@link SecretFile}); exactly one of them.
   *
   * @param why why it is required, for the error when both are missing
   */
  public String secret(String key, String why) {
    Optional<String> inline = string(key);
    Optional<Path> file = readableFile(key + "-file");
    if (inline.isPresent() && file.isPresent()) {
      throw new ConfigException(
          prefix + key, "***", "give either it or " + prefix + key + "-file, not both");
    }
    if (file.isPresent()) {
      return new SecretFile(prefix + key + "-file", file.get()).read();
    }
    return inline.orElseThrow(
        () ->
            new ConfigException(
                prefix + key, null, "required (or " + prefix + key + "-file): " + why));
  }

  public boolean bool(String key, boolean defaultValue) {
    return string(key)
        .map(
            v -> {
              if (v.equalsIgnoreCase("true")) {
                return true;
              }
              if (v.equalsIgnoreCase("false")) {
                return false;
              }
              throw new ConfigException(prefix + key, v, "must be true or false");
            })
        .orElse(defaultValue);
  }

  /** Fails naming every key under the prefix that no accessor asked for. */
  /** Key names whose values are shown as {@code ***} when the key is unknown. */
  private static final java.util.regex.Pattern SECRET_NAME =
      java.util.regex.Pattern.compile("(?i)password|token|secret|master");

  public void requireAllUsed() {
    TreeSet<String> unknown = new TreeSet<>();
    for (String key : values.keySet()) {
      if (key.startsWith(prefix) && !used.contains(key)) {
        unknown.add(key);
      }
    }
    if (!unknown.isEmpty()) {
      String first = unknown.first();
      throw new ConfigException(
          first,
          // A key this version no longer knows may still hold a secret (an old password key).
          SECRET_NAME.matcher(first).find() ? "***" : values.get(first),
          "unknown key"
              + (unknown.size() > 1 ? " (also unknown: " + tail(unknown) + ")" : "")
              + "; known keys are "
              + String.join(", ", used));
    }
  }

  /** Parses {@code 500ms}, {@code 5s}, {@code 2m}, {@code 1h} or {@code 1d}. */
  public static Duration parseDuration(String key, String value) {
    Matcher m = DURATION.matcher(value.trim());
    if (!m.matches()) {
      throw new ConfigException(key, value, "must be a duration like 5s, 500ms, 2m or 1h");
    }
    long amount = Long.parseLong(m.group(1));
    switch (m.group(2)) {
      case "ms":
        return Duration.ofMillis(amount);
      case "s":
        return Duration.ofSeconds(amount);
      case "m":
        return Duration.ofMinutes(amount);
      case "h":
        return Duration.ofHours(amount);
      default:
        return Duration.ofDays(amount);
    }
  }

  private static int parsePort(String key, String value) {
    int port = parseInt(key, value, "must be a port number 0..65535");
    if (port < 0 || port > 65535) {
      throw new ConfigException(key, value, "must be a port number 0..65535");
    }
    return port;
  }

  private static int parsePositiveInt(String key, String value) {
    int n = parseInt(key, value, "must be a positive whole number");
    if (n <= 0) {
      throw new ConfigException(key, value, "must be a positive whole number");
    }
    return n;
  }

  private static int parseInt(String key, String value, String rule) {
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new ConfigException(key, value, rule);
    }
  }

  private static String tail(TreeSet<String> keys) {
    return String.join(", ", keys.tailSet(keys.first(), false));
  }
}
