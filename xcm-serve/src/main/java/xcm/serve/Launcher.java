package xcm.serve;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;
import xcm.mbeans.config.ConfigException;

/**
 * What the agent's and the coordinator's {@code main} share: configuration from a properties file
 * overridden by command-line options, start-up errors as one line and an exit code, the endpoints
 * printed once ready, and a clean stop on SIGTERM or Ctrl-C.
 *
 * <pre>{@code
 * return Launcher.run("xcm agent", configFile, options, AgentConfig::load,
 *     config -> Agent.start(config, server, registry, clock), agent -> List.of("  Jolokia ..."));
 * }</pre>
 */
public final class Launcher {
  /** Exit code for a configuration error. */
  public static final int BAD_CONFIG = 2;

  /** Exit code for a part that could not start. */
  public static final int CANNOT_START = 1;

  private Launcher() {}

  /** Starts something from its configuration. */
  public interface Starter<C, S extends AutoCloseable> {
    S start(C config) throws StartException;
  }

  /** Runs until the JVM is asked to stop; returns the exit code. */
  public static <C, S extends AutoCloseable> int run(
      String command,
      Path configFile,
      Map<String, String> options,
      Function<Map<String, String>, C> load,
      Starter<C, S> starter,
      Function<S, List<String>> banner)
      throws InterruptedException {
    PrintStream err = System.err;
    C config;
    try {
      config = load.apply(merge(configFile, options));
    } catch (ConfigException e) {
      err.println(command + ": " + e.getMessage());
      return BAD_CONFIG;
    }
    S running;
    try {
      running = starter.start(config);
    } catch (StartException e) {
      err.println(command + ": " + e.getMessage());
      return CANNOT_START;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    running.close();
                  } catch (Exception e) {
                    err.println(command + ": stopping failed: " + e.getMessage());
                  }
                  stopped.countDown();
                },
                "xcm-shutdown"));
    banner.apply(running).forEach(System.out::println);
    System.out.flush();
    stopped.await();
    return 0;
  }

  /** The properties file's keys, then the options over them. */
  static Map<String, String> merge(Path configFile, Map<String, String> options) {
    Map<String, String> values = new LinkedHashMap<>();
    if (configFile != null) {
      Properties file = new Properties();
      try (InputStream in = Files.newInputStream(configFile)) {
        file.load(in);
      } catch (IOException e) {
        throw new ConfigException("--config", configFile.toString(), "cannot be read: " + e);
      }
      file.stringPropertyNames().forEach(k -> values.put(k, file.getProperty(k)));
    }
    values.putAll(options);
    return values;
  }

  /**
   * The JDK HTTP server under Jolokia and {@code /metrics} leaves Nagle's algorithm on: a response
   * written in pieces then waits for the client's delayed ACK, 40 ms per request. Call first in
   * {@code main}, before any server starts.
   */
  public static void disableNagle() {
    System.setProperty("sun.net.httpserver.nodelay", "true");
  }
}
