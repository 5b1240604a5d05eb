package xcm.coordinator.fence;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import xcm.trust.Subject;

/**
 * How one host is fenced: the fence agent, the options it is given on its standard input, those
 * whose value is read from a file at each run (passwords), and how long one action may take.
 *
 * <pre>{@code
 * FenceDevice dmz01 =
 *     FenceDevice.builder("dmz01", "fence_ipmilan")
 *         .option("ip", "10.0.0.101")
 *         .option("username", "admin")
 *         .optionFromFile("password", Path.of("/etc/xcm/secrets/dmz01-bmc"))
 *         .option("lanplus", "1")
 *         .build();
 * }</pre>
 *
 * Every value is checked here, whoever builds the device: a value is sent as one {@code name=value}
 * line, so a line break in it would give the agent an option nobody configured. Immutable.
 *
 * @param program absolute path of the agent
 * @param options option name to value, in the order they are sent
 * @param fileOptions option name to the file holding its value, sent after {@code options}
 * @param timeout how long one action may run before the agent and its children are killed
 */
public record FenceDevice(
    String host,
    Path program,
    Map<String, String> options,
    Map<String, Path> fileOptions,
    Duration timeout) {

  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
  public static final int MAX_OPTIONS = 64;
  public static final int MAX_VALUE_LENGTH = 4096;

  /** Where a bare program name is looked for, and the agent's PATH. */
  public static final List<Path> SEARCH_PATH =
      List.of(Path.of("/usr/sbin"), Path.of("/usr/bin"), Path.of("/sbin"), Path.of("/bin"));

  /**
   * Options the runner sends itself; {@code option} is the older fence agents' name for {@code
   * action}.
   */
  static final Set<String> RUNNER_OPTIONS = Set.of("action", "option");

  private static final Pattern OPTION_NAME = Pattern.compile("[a-z0-9_]{1,64}");
  private static final Pattern SECRET_NAME = Pattern.compile("passw(or)?d");

  public FenceDevice {
    Subject.requireValidName(host, "host name");
    Objects.requireNonNull(program, "program");
    if (!program.isAbsolute()) {
      throw new IllegalArgumentException(
          "fence device of " + host + ": program " + program + " is not an absolute path");
    }
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException(
          "fence device of " + host + ": timeout must be positive, found " + timeout);
    }
    options = Collections.unmodifiableMap(new LinkedHashMap<>(options));
    fileOptions = Collections.unmodifiableMap(new LinkedHashMap<>(fileOptions));
    if (options.size() + fileOptions.size() > MAX_OPTIONS) {
      throw new IllegalArgumentException(
          "fence device of " + host + ": more than " + MAX_OPTIONS + " options");
    }
    for (Map.Entry<String, String> option : options.entrySet()) {
      requireValid(host, option.getKey(), problemWithName(option.getKey()));
      requireValid(host, option.getKey(), problemWithValue(option.getValue()));
      if (fileOptions.containsKey(option.getKey())) {
        requireValid(host, option.getKey(), "given both inline and from a file");
      }
    }
    for (Map.Entry<String, Path> option : fileOptions.entrySet()) {
      requireValid(host, option.getKey(), problemWithName(option.getKey()));
      Objects.requireNonNull(option.getValue(), "file of option " + option.getKey());
      if (!option.getValue().isAbsolute()) {
        requireValid(
            host, option.getKey(), "file " + option.getValue() + " is not an absolute path");
      }
    }
  }

  /**
   * Starts a device.
   *
   * @param program an absolute path, or a bare name looked for in {@link #SEARCH_PATH}
   * @throws IllegalArgumentException when a bare name is not found there, or the program is a
   *     relative path
   */
  public static Builder builder(String host, String program) {
    return new Builder(host, resolveProgram(program));
  }

  /** Whether the option's value must never be shown: read from a file, or named like a password. */
  public boolean isSecret(String option) {
    return fileOptions.containsKey(option) || isSecretName(option);
  }

  /** Whether an option is named like a password ({@code password}, {@code passwd_script}). */
  static boolean isSecretName(String option) {
    return SECRET_NAME.matcher(option).find();
  }

  /** The agent's file name, for messages: {@code fence_ipmilan}. */
  public String agentName() {
    return program.getFileName().toString();
  }

  /** Every field, the values of secret options as {@code ***}. */
  @Override
  public String toString() {
    StringBuilder shown = new StringBuilder();
    options.forEach(
        (name, value) ->
            shown
                .append(shown.length() == 0 ? "" : ", ")
                .append(name)
                .append('=')
                .append(isSecret(name) ? "***" : value));
    fileOptions.forEach(
        (name, file) ->
            shown
                .append(shown.length() == 0 ? "" : ", ")
                .append(name)
                .append("-file=")
                .append(file));
    return "FenceDevice[host="
        + host
        + ", program="
        + program
        + ", options={"
        + shown
        + "}, timeout="
        + timeout
        + "]";
  }

  static Path resolveProgram(String program) {
    if (program.isEmpty() || program.contains("\0")) {
      throw new IllegalArgumentException("program must be an absolute path or a bare name");
    }
    Path path = Path.of(program);
    if (path.isAbsolute()) {
      return path;
    }
    if (program.contains("/")) {
      throw new IllegalArgumentException(
          "program "
              + program
              + " must be an absolute path or a bare name looked for in "
              + searchPath());
    }
    for (Path dir : SEARCH_PATH) {
      Path candidate = dir.resolve(program);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    throw new IllegalArgumentException(
        "program " + program + " not found in " + searchPath() + " (is its package installed?)");
  }

  static String searchPath() {
    StringBuilder text = new StringBuilder();
    for (Path dir : SEARCH_PATH) {
      text.append(text.length() == 0 ? "" : ":").append(dir);
    }
    return text.toString();
  }

  /** Why {@code name} cannot be an agent option, or null when it can. */
  static String problemWithName(String name) {
    if (name == null || !OPTION_NAME.matcher(name).matches()) {
      return "option names are 1 to 64 of a-z, 0-9 and _";
    }
    if (RUNNER_OPTIONS.contains(name)) {
      return "'" + name + "' is sent by XCM itself and cannot be configured";
    }
    return null;
  }

  /** Why {@code value} cannot be sent to an agent, or null when it can. Never quotes the value. */
  static String problemWithValue(String value) {
    if (value == null) {
      return "has no value";
    }
    if (value.length() > MAX_VALUE_LENGTH) {
      return "value longer than " + MAX_VALUE_LENGTH + " characters";
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      // Line and paragraph separators end a line for some readers as surely as \n does.
      if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
        return String.format(
            "value holds a control character (U+%04X at character %d): each option is sent to"
                + " the agent as one line, so no value may hold one",
            (int) c, i + 1);
      }
    }
    return null;
  }

  private static void requireValid(String host, String option, String problem) {
    if (problem != null) {
      throw new IllegalArgumentException(
          "fence device of " + host + ": option " + printable(option) + ": " + problem);
    }
  }

  private static String printable(String name) {
    if (name == null) {
      return "null";
    }
    StringBuilder text = new StringBuilder("\"");
    name.codePoints()
        .limit(80)
        .forEach(
            c -> {
              if (c < 0x20 || c == 0x7f || c == '"' || c == '\\') {
                text.append(String.format("\\u%04x", c));
              } else {
                text.appendCodePoint(c);
              }
            });
    return text.append(name.length() > 80 ? "…\"" : "\"").toString();
  }

  /** Collects a device's options; {@link #build()} checks them all. Not thread-safe. */
  public static final class Builder {
    private final String host;
    private final Path program;
    private final Map<String, String> options = new LinkedHashMap<>();
    private final Map<String, Path> fileOptions = new LinkedHashMap<>();
    private Duration timeout = DEFAULT_TIMEOUT;

    private Builder(String host, Path program) {
      this.host = host;
      this.program = program;
    }

    /** Optional: an option sent as {@code name=value}, in the order given. Default is none. */
    public Builder option(String name, String value) {
      options.put(name, value);
      return this;
    }

    /**
     * Optional: an option whose value is read from {@code file} at each run (one trailing newline
     * dropped); the file must be its owner's only. Default is none.
     */
    public Builder optionFromFile(String name, Path file) {
      fileOptions.put(name, file);
      return this;
    }

    /** Optional: how long one action may take. Default is 60 s. */
    public Builder timeout(Duration timeout) {
      this.timeout = timeout;
      return this;
    }

    public FenceDevice build() {
      return new FenceDevice(host, program, options, fileOptions, timeout);
    }
  }
}
