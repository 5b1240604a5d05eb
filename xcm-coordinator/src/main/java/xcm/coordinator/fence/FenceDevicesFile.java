package xcm.coordinator.fence;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import xcm.mbeans.config.ConfigException;
import xcm.mbeans.config.FileMode;
import xcm.mbeans.config.Settings;
import xcm.trust.Subject;

/**
 * Reads the fence devices file, line by line so that every error can name its line. The format is
 * that of a properties file without its escapes and continuation lines: what is written is what the
 * agent gets.
 *
 * <pre>
 * HOST.agent        = fence_ipmilan | /absolute/path   (required)
 * HOST.timeout      = 60s                              (one action; default 60s)
 * HOST.OPTION       = VALUE                            (sent as OPTION=VALUE)
 * HOST.OPTION-file  = /absolute/path                   (sent as OPTION=the file's text)
 * </pre>
 *
 * A host name may hold dots and an option name cannot, so the last dot ends the host name; {@code
 * -file} cannot end an option name, so it always means "from a file".
 */
final class FenceDevicesFile {
  static final int MAX_BYTES = 64 * 1024;
  private static final String FILE_SUFFIX = "-file";

  private final Path file;
  private final Map<String, Integer> lineOfKey = new HashMap<>();
  private final Map<String, Block> blocks = new LinkedHashMap<>();
  private int inlineSecretLine;
  private String inlineSecretKey;

  private FenceDevicesFile(Path file) {
    this.file = file;
  }

  /** One host's lines, as they are read. */
  private static final class Block {
    final int firstLine;
    String agent;
    int agentLine;
    Duration timeout = FenceDevice.DEFAULT_TIMEOUT;
    final Map<String, String> options = new LinkedHashMap<>();
    final Map<String, Path> fileOptions = new LinkedHashMap<>();

    Block(int firstLine) {
      this.firstLine = firstLine;
    }

    int optionCount() {
      return options.size() + fileOptions.size();
    }
  }

  /**
   * @throws ConfigException naming the file, the line and the key at fault; nothing is loaded
   */
  static List<FenceDevice> read(Path file) {
    return new FenceDevicesFile(file).parse(text(file));
  }

  private static String text(Path file) {
    byte[] bytes;
    try (InputStream in = Files.newInputStream(file)) {
      bytes = in.readNBytes(MAX_BYTES + 1);
    } catch (NoSuchFileException e) {
      throw new ConfigException(file.toString(), null, "fence devices: no such file");
    } catch (IOException e) {
      throw new ConfigException(file.toString(), null, "fence devices: cannot be read: " + e);
    }
    if (bytes.length > MAX_BYTES) {
      throw new ConfigException(
          file.toString(), null, "fence devices: larger than " + MAX_BYTES / 1024 + " KiB");
    }
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw new ConfigException(file.toString(), null, "fence devices: not UTF-8 text");
    }
  }

  private List<FenceDevice> parse(String text) {
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line =
          lines[i].endsWith("\r") ? lines[i].substring(0, lines[i].length() - 1) : lines[i];
      String trimmed = line.strip();
      if (!trimmed.isEmpty() && !trimmed.startsWith("#") && !trimmed.startsWith("!")) {
        entry(i + 1, trimmed);
      }
    }
    if (inlineSecretKey != null) {
      requireFileOwnerOnly();
    }
    List<FenceDevice> devices = new ArrayList<>();
    for (Map.Entry<String, Block> host : blocks.entrySet()) {
      devices.add(device(host.getKey(), host.getValue()));
    }
    return devices;
  }

  private void entry(int line, String text) {
    int equals = text.indexOf('=');
    if (equals < 0) {
      throw error(line, text, "expected HOST.OPTION = VALUE");
    }
    String key = text.substring(0, equals).strip();
    String value = text.substring(equals + 1).strip();
    int dot = key.lastIndexOf('.');
    if (dot <= 0 || dot == key.length() - 1) {
      throw error(line, key, "expected HOST.OPTION = VALUE");
    }
    if (!Subject.isValidName(key.substring(0, dot))) {
      throw error(
          line,
          key,
          "not a valid host name: use letters, digits and '-' in dot-separated labels of 1 to 63"
              + " characters, not starting or ending with '-'");
    }
    Integer first = lineOfKey.putIfAbsent(key, line);
    if (first != null) {
      throw error(line, key, "given again (first on line " + first + ")");
    }
    String host = key.substring(0, dot);
    String name = key.substring(dot + 1);
    Block block = blocks.computeIfAbsent(host, h -> new Block(line));
    String problem = FenceDevice.problemWithValue(value);
    if (problem == null && value.isEmpty()) {
      problem = "has no value";
    }
    if (problem != null) {
      throw error(line, key, problem);
    }
    if (name.equals("agent")) {
      block.agent = value;
      block.agentLine = line;
    } else if (name.equals("timeout")) {
      block.timeout = timeout(line, key, value);
    } else if (name.endsWith(FILE_SUFFIX)) {
      fileOption(line, key, block, name.substring(0, name.length() - FILE_SUFFIX.length()), value);
    } else {
      option(line, key, block, name);
      block.options.put(name, value);
      if (inlineSecretKey == null && FenceDevice.isSecretName(name)) {
        inlineSecretKey = key;
        inlineSecretLine = line;
      }
    }
  }

  private void option(int line, String key, Block block, String name) {
    String problem = FenceDevice.problemWithName(name);
    if (problem != null) {
      throw error(line, key, problem);
    }
    if (block.options.containsKey(name) || block.fileOptions.containsKey(name)) {
      throw error(line, key, "option " + name + " is given both inline and from a file");
    }
    if (block.optionCount() == FenceDevice.MAX_OPTIONS) {
      throw error(line, key, "more than " + FenceDevice.MAX_OPTIONS + " options for one host");
    }
  }

  private void fileOption(int line, String key, Block block, String name, String value) {
    option(line, key, block, name);
    Path path = Path.of(value);
    if (!path.isAbsolute()) {
      throw error(line, key, "must be an absolute path");
    }
    try {
      OptionFile.read(name, path);
    } catch (IOException e) {
      throw error(line, key, e.getMessage());
    }
    block.fileOptions.put(name, path);
  }

  private Duration timeout(int line, String key, String value) {
    Duration timeout;
    try {
      timeout = Settings.parseDuration(key, value);
    } catch (ConfigException e) {
      throw error(line, key, "must be a duration like 60s, 500ms or 2m");
    }
    if (timeout.isZero()) {
      throw error(line, key, "must be more than 0");
    }
    return timeout;
  }

  private FenceDevice device(String host, Block block) {
    if (block.agent == null) {
      throw error(
          block.firstLine,
          host,
          "no " + host + ".agent line: which fence agent (fence_ipmilan, ...) fences this host");
    }
    Path program;
    try {
      program = FenceDevice.resolveProgram(block.agent);
    } catch (IllegalArgumentException e) {
      throw error(block.agentLine, host + ".agent", e.getMessage());
    }
    if (!Files.isRegularFile(program) || !Files.isExecutable(program)) {
      throw error(block.agentLine, host + ".agent", program + " is not an executable file");
    }
    try {
      return new FenceDevice(host, program, block.options, block.fileOptions, block.timeout);
    } catch (IllegalArgumentException e) {
      throw error(block.firstLine, host, e.getMessage());
    }
  }

  /** A password written into the file makes the file a secret file. */
  private void requireFileOwnerOnly() {
    Optional<FileMode> mode;
    try {
      mode = FileMode.of(file);
    } catch (IOException e) {
      throw new ConfigException(file.toString(), null, "fence devices: cannot be read: " + e);
    }
    if (mode.isPresent() && !mode.get().ownerOnly()) {
      throw error(
          inlineSecretLine,
          inlineSecretKey,
          "a password written into "
              + file
              + " needs the file to be its owner's only, but it has mode "
              + mode.get()
              + "; chmod 600 it, or better put the password in a file of its own ("
              + inlineSecretKey
              + "-file = /etc/xcm/secrets/...)");
    }
  }

  private ConfigException error(int line, String key, String reason) {
    return new ConfigException(file + ":" + line, null, shown(key) + ": " + reason);
  }

  /** A key from the file as it can be shown: control characters escaped, at most 80 of them. */
  private static String shown(String key) {
    StringBuilder text = new StringBuilder();
    key.codePoints()
        .limit(80)
        .forEach(
            c -> {
              if (Character.isISOControl(c)) {
                text.append(String.format("\\u%04x", c));
              } else {
                text.appendCodePoint(c);
              }
            });
    return key.length() > 80 ? text + "…" : text.toString();
  }
}
