package xcm.testkit.launch;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The command lines that start XCM's programs from the built jars, as the demo starts them and with
 * the java of this JVM: an agent with the test kit beside it (so that it runs on libvirt's test
 * driver as on a real host: domains handed over between agents, kept across restarts), a
 * coordinator, the CLI, the paper scenario. Agents, coordinators and the CLI get the JVM options of
 * their argfile in {@value #JVM_OPTIONS} ({@code java @conf/agent.jvm ...}), as {@code ./xcm} and
 * the packaged launchers give them; {@code XCM_AGENT_JAVA_OPTS}, {@code XCM_COORDINATOR_JAVA_OPTS}
 * and {@code XCM_CLI_JAVA_OPTS} replace them here as they do there.
 *
 * <pre>{@code
 * XcmCommands xcm = XcmCommands.at(root);
 * List<String> agent = xcm.command(Program.AGENT, List.of("--libvirt-uri", uri, "--name", "dmz01"));
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class XcmCommands {
  /** Where each program's JVM options are written, {@code <program>.jvm}, relative to the root. */
  public static final String JVM_OPTIONS = "conf";

  private static final String AGENT_JAR = "xcm-agent/target/xcm-agent.jar";
  private static final String COORDINATOR_JAR = "xcm-coordinator/target/xcm-coordinator.jar";
  private static final String TESTKIT_JAR = "xcm-testkit/target/xcm-testkit.jar";

  /** What can be started, each from its jars with its main class. */
  public enum Program {
    /** An agent, the product's jar with the test kit beside it. */
    AGENT("agent", "XCM_AGENT_JAVA_OPTS", "xcm.agent.AgentMain", AGENT_JAR, TESTKIT_JAR),
    /** A coordinator, as {@code ./xcm coordinator} runs it. */
    COORDINATOR(
        "coordinator",
        "XCM_COORDINATOR_JAVA_OPTS",
        "xcm.coordinator.CoordinatorMain",
        COORDINATOR_JAR),
    /**
     * The CLI, as {@code ./xcm status|migrate|...} runs it, with its JVM options (not its
     * class-data archive, which the script keeps).
     */
    CLI("cli", "XCM_CLI_JAVA_OPTS", "xcm.coordinator.cli.Cli", COORDINATOR_JAR),
    /** The paper scenario of {@code ./xcm demo --scenario paper}: no JVM options. */
    PAPER_SCENARIO(null, null, "xcm.testkit.scenario.PaperScenario", COORDINATOR_JAR, TESTKIT_JAR);

    private final String optionsKey;
    private final String environment;
    private final String mainClass;
    private final List<String> classPath;

    Program(String optionsKey, String environment, String mainClass, String... classPath) {
      this.optionsKey = optionsKey;
      this.environment = environment;
      this.mainClass = mainClass;
      this.classPath = List.of(classPath);
    }
  }

  private final Path root;
  private final Map<Program, List<String>> javaOptions;

  private XcmCommands(Path root, Map<Program, List<String>> javaOptions) {
    this.root = root;
    this.javaOptions = javaOptions;
  }

  /**
   * The commands of the checkout at {@code root}, with the JVM options of its argfiles in {@value
   * #JVM_OPTIONS} and of this process's environment.
   *
   * @throws IllegalStateException naming the file when a program's argfile cannot be read
   */
  public static XcmCommands at(Path root) {
    return read(root, System.getenv());
  }

  static XcmCommands read(Path root, Map<String, String> environment) {
    Path absolute = root.toAbsolutePath().normalize();
    Map<Program, List<String>> options = new EnumMap<>(Program.class);
    for (Program program : Program.values()) {
      if (program.optionsKey == null) {
        options.put(program, List.of());
        continue;
      }
      String value = program.environment == null ? null : environment.get(program.environment);
      if (value != null && !value.isBlank()) {
        options.put(program, words(value));
        continue;
      }
      Path file = argfile(absolute, program);
      if (!Files.isReadable(file)) {
        throw new IllegalStateException(
            file + " cannot be read: the JVM options of every XCM " + program.optionsKey);
      }
      options.put(program, List.of("@" + file));
    }
    return new XcmCommands(absolute, options);
  }

  /** The argfile of a program's JVM options in the checkout at {@code root}. */
  static Path argfile(Path root, Program program) {
    return root.resolve(JVM_OPTIONS).resolve(program.optionsKey + ".jvm");
  }

  /** The JVM options the program starts with. */
  public List<String> javaOptions(Program program) {
    return javaOptions.get(program);
  }

  /**
   * {@code java <options> -cp <jars> <main class> <args>}, with the jars of the checkout and the
   * java of this JVM.
   */
  public List<String> command(Program program, List<String> args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(javaOptions.get(program));
    command.add("-cp");
    command.add(
        program.classPath.stream()
            .map(jar -> root.resolve(jar).toString())
            .collect(Collectors.joining(File.pathSeparator)));
    command.add(program.mainClass);
    command.addAll(args);
    return command;
  }

  /** Split as the shell splits an unquoted {@code $AGENT_JAVA_OPTS}. */
  private static List<String> words(String value) {
    String trimmed = value.strip();
    return trimmed.isEmpty() ? List.of() : Arrays.asList(trimmed.split("\\s+"));
  }
}
