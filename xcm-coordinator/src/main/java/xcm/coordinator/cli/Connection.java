package xcm.coordinator.cli;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import javax.net.ssl.SSLContext;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import xcm.client.Credentials;
import xcm.client.Endpoint;
import xcm.client.JolokiaClient;
import xcm.client.JolokiaException;
import xcm.coordinator.operation.Requester;
import xcm.trust.Pem;
import xcm.trust.Revocations;
import xcm.trust.Role;
import xcm.trust.tls.ClientTls;
import xcm.trust.tls.ExpectedPeer;

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
      paramLabel = "URL[,URL...]",
      description =
          "Coordinator Jolokia URL, or the URLs of all the cluster's coordinators, comma-separated:"
              + " each is tried in turn, and a request a standby refuses goes to the next (default: "
              + DEFAULT_URL
              + ")")
  String url;

  @Option(names = "--user", paramLabel = "USER", description = "Default: xcm")
  String user;

  @Option(
      names = "--password-file",
      paramLabel = "FILE",
      description = "File holding the coordinator's Jolokia password")
  Path passwordFile;

  /**
   * An agent's Jolokia: user {@code xcm} with the password in {@code agentPasswordFile}, or, when
   * that is null, the coordinator's user and password (where one password serves both).
   */
  public Endpoint openAgent(String agentUrl, Path agentPasswordFile) throws CliException {
    return agentPasswordFile == null
        ? open(agentUrl)
        : agent(agentUrl, "xcm", read(agentPasswordFile));
  }

  /** The coordinator's Jolokia. */
  public Endpoint open() throws CliException {
    return open(null);
  }

  private Endpoint open(String otherUrl) throws CliException {
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
          "no password for the coordinator: give --password-file FILE, or password-file in the"
              + " CLI's configuration (XCM_CLI_CONFIG, or .xcm/cli.properties, which ./xcm demo"
              + " writes; installed, /etc/xcm/cli.properties)");
    }
    return otherUrl != null
        ? agent(otherUrl, theUser, read(file))
        : client("coordinator", theUser, read(file)).at(coordinators(theUrl));
  }

  /** The Jolokia of the agent at {@code url}, as {@code user}. */
  public static Endpoint agent(String url, String user, String password) {
    return client("agent", user, password).at(withSlash(url));
  }

  /**
   * The Jolokia of an enrolled agent at {@code url} (HTTPS), trusting its cluster's {@code
   * authority} certificate file, as its local user {@code user}.
   *
   * @throws CliException when the authority file cannot be read
   */
  public static Endpoint agent(String url, String user, String password, Path authority)
      throws CliException {
    X509Certificate ca;
    try {
      ca = Pem.readCertificates(Files.readString(authority)).get(0);
    } catch (IOException | CertificateException | IndexOutOfBoundsException e) {
      throw new CliException("cannot read the cluster's authority " + authority + ": " + e);
    }
    SSLContext tls =
        ClientTls.builder()
            .authority(ca)
            .revocations(Revocations::none)
            .expectServer(ExpectedPeer.role(Role.AGENT))
            .build();
    return JolokiaClient.builder()
        .blocking()
        .tls(tls)
        .credentials(Credentials.basic(user, password, "the user and password"))
        .callee("agent")
        .userAgent(Requester.CLI_USER_AGENT)
        .build()
        .at(withSlash(url));
  }

  /**
   * A client for one command: as the CLI, so that the coordinator's audit log records it as its own
   * door; blocking, as a command makes its calls one after the other and exits.
   */
  private static JolokiaClient client(String callee, String user, String password) {
    return JolokiaClient.builder()
        .blocking()
        .credentials(Credentials.basic(user, password, "the user and password"))
        .callee(callee)
        .userAgent(Requester.CLI_USER_AGENT)
        .build();
  }

  /** A command's work, which may fail in the CLI or in a call. */
  public interface Work {
    int run() throws CliException, JolokiaException, InterruptedException;
  }

  /**
   * Runs a command's work; prints why it failed as {@code xcm COMMAND: reason} and returns 1, else
   * returns the work's exit code.
   */
  public static int run(CommandSpec spec, Work work) {
    return run(CommandOutput.of(spec), work);
  }

  /** As {@link #run(CommandSpec, Work)}, printing to {@code output}. */
  static int run(CommandOutput output, Work work) {
    String failure;
    try {
      return work.run();
    } catch (CliException e) {
      failure = e.getMessage();
    } catch (JolokiaException e) {
      // A coordinator that never answered may not run at all.
      failure =
          e.getMessage()
              + (e.outcome() == JolokiaException.Outcome.FAILED
                  ? " (is it running there? --url, or url in the CLI's configuration, says where)"
                  : "");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      failure = "interrupted";
    } finally {
      output.out().flush();
    }
    output.err().println(output.name() + ": " + failure);
    output.err().flush();
    return 1;
  }

  /** The coordinators' URLs of a comma-separated list, each with its trailing slash. */
  static List<String> coordinators(String urls) throws CliException {
    List<String> each = new ArrayList<>();
    for (String url : urls.split(",")) {
      if (!url.isBlank()) {
        each.add(withSlash(url.strip()));
      }
    }
    if (each.isEmpty()) {
      throw new CliException("no coordinator URL in '" + urls + "'");
    }
    return each;
  }

  private static String withSlash(String url) {
    return url.endsWith("/") ? url : url + "/";
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
