package xcm.coordinator.cli;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import picocli.CommandLine.Option;

/**
 * How a CLI command reaches the coordinator, a picocli mixin ({@code @Mixin Connection connection})
 * for this package's commands and those of other jars (the test kit's paper scenario). Options win;
 * then the file named by {@code XCM_CLI_CONFIG}, else {@code .xcm/cli.properties} (which {@code
 * ./xcm demo} writes) with keys {@code url}, {@code user}, {@code password-file}; then the
 * defaults.
 */
public final class Connection {
  static final String DEFAULT_URL = "http://127.0.0.1:8780/jolokia/";

  @Option(
      names = "--url",
      paramLabel = "URL",
      description = "Coordinator Jolokia URL (default: " + DEFAULT_URL + ")")
  String url;

  @Option(names = "--user", paramLabel = "USER", description = "Default: xcm")
  String user;

  @Option(
      names = "--password-file",
      paramLabel = "FILE",
      description = "File holding the coordinator's Jolokia password")
  Path passwordFile;

  /**
   * A client for an agent's Jolokia: user {@code xcm} with the password in {@code
   * agentPasswordFile}, or, when that is null, the coordinator's user and password (where one
   * password serves both).
   */
  public CoordinatorClient openAgent(String agentUrl, Path agentPasswordFile) throws CliException {
    return agentPasswordFile == null
        ? open(agentUrl)
        : new CoordinatorClient(agentUrl, "xcm", read(agentPasswordFile));
  }

  /** A client for the coordinator. */
  public CoordinatorClient open() throws CliException {
    return open(null);
  }

  private CoordinatorClient open(String otherUrl) throws CliException {
    Properties defaults = defaults();
    String theUrl = url != null ? url : defaults.getProperty("url", DEFAULT_URL);
    String theUser = user != null ? user : defaults.getProperty("user", "xcm");
    Path file =
        passwordFile != null
            ? passwordFile
            : defaults.containsKey("password-file")
                ? Path.of(defaults.getProperty("password-file"))
                : null;
    if (file == null) {
      throw new CliException(
          "no password for the coordinator: give --password-file FILE (./xcm demo writes"
              + " .xcm/cli.properties so that none is needed)");
    }
    return new CoordinatorClient(otherUrl != null ? otherUrl : theUrl, theUser, read(file));
  }

  /** The password in the file, without surrounding blanks. */
  public static String read(Path passwordFile) throws CliException {
    try {
      return Files.readString(passwordFile, StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new CliException(
          "cannot read the password file " + passwordFile + ": " + e.getMessage());
    }
  }

  private static Properties defaults() throws CliException {
    String named = System.getenv("XCM_CLI_CONFIG");
    Path file = Path.of(named != null ? named : ".xcm/cli.properties");
    Properties properties = new Properties();
    if (Files.isRegularFile(file)) {
      try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        properties.load(in);
      } catch (IOException e) {
        throw new CliException("cannot read " + file + ": " + e.getMessage());
      }
    } else if (named != null) {
      throw new CliException("XCM_CLI_CONFIG names " + file + ", which does not exist");
    }
    return properties;
  }
}
