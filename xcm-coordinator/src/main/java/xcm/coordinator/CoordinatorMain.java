package xcm.coordinator;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import xcm.mbeans.config.ConfigException;
import xcm.serve.StartException;

/** {@code xcm coordinator}: parses options and a properties file, runs a coordinator. */
@Command(
    name = "xcm coordinator",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Runs the XCM coordinator: collects every agent on an interval and serves the cluster's"
          + " summary and detailed views as JMX MBeans, through Jolokia and as Prometheus metrics.",
      "Options override the same keys of --config (xcm.coordinator.<key>)."
    })
public final class CoordinatorMain implements Callable<Integer> {
  private final Map<String, String> options = new LinkedHashMap<>();

  @Option(
      names = {"-c", "--config"},
      paramLabel = "FILE",
      description = "Properties file with xcm.coordinator.* keys")
  private Path configFile;

  @Option(
      names = "--agents",
      paramLabel = "URLS",
      description = "Agent Jolokia URLs, comma-separated")
  void agents(String v) {
    set("agents", v);
  }

  @Option(
      names = "--agent-password-file",
      paramLabel = "FILE",
      description = "The agents' Jolokia password")
  void agentPasswordFile(String v) {
    set("agent.password-file", v);
  }

  @Option(names = "--collect-interval", paramLabel = "DURATION", description = "Default: 5s")
  void collectInterval(String v) {
    set("collect-interval", v);
  }

  @Option(names = "--jolokia-address", paramLabel = "ADDRESS", description = "Default: 127.0.0.1")
  void jolokiaAddress(String v) {
    set("jolokia.address", v);
  }

  @Option(names = "--jolokia-port", paramLabel = "PORT", description = "Default: 8780")
  void jolokiaPort(String v) {
    set("jolokia.port", v);
  }

  @Option(
      names = "--jolokia-password-file",
      paramLabel = "FILE",
      description = "This coordinator's Jolokia password")
  void jolokiaPasswordFile(String v) {
    set("jolokia.password-file", v);
  }

  @Option(names = "--metrics-port", paramLabel = "PORT", description = "Default: 9280")
  void metricsPort(String v) {
    set("metrics.port", v);
  }

  @Option(
      names = "--state-dir",
      paramLabel = "DIR",
      description = "Keep cluster membership here across restarts")
  void stateDir(String v) {
    set("state-dir", v);
  }

  @Option(
      names = "-D",
      paramLabel = "KEY=VALUE",
      description = "Any xcm.coordinator.* key, e.g. -D xcm.coordinator.unreachable-after-rounds=2")
  void define(Map<String, String> values) {
    options.putAll(values);
  }

  private void set(String key, String value) {
    options.put(CoordinatorConfig.PREFIX + key, value);
  }

  public static void main(String[] args) {
    // The JDK HTTP server under Jolokia and /metrics leaves Nagle's algorithm on: a response
    // written in pieces then waits for the client's delayed ACK, 40 ms per request.
    System.setProperty("sun.net.httpserver.nodelay", "true");
    System.exit(new CommandLine(new CoordinatorMain()).execute(args));
  }

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter err = new PrintWriter(System.err, true);
    CoordinatorConfig config;
    try {
      config = CoordinatorConfig.load(merged());
    } catch (ConfigException e) {
      err.println("xcm coordinator: " + e.getMessage());
      return 2;
    }
    Coordinator coordinator;
    try {
      coordinator =
          Coordinator.start(
              config,
              ManagementFactory.getPlatformMBeanServer(),
              new PrometheusRegistry(),
              Clock.systemUTC());
    } catch (StartException e) {
      err.println("xcm coordinator: " + e.getMessage());
      return 1;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  coordinator.close();
                  stopped.countDown();
                },
                "xcm-coordinator-shutdown"));
    System.out.printf(
        "XCM coordinator, collecting every %d ms%n", config.collectInterval().toMillis());
    System.out.printf(
        "  Jolokia   %s  (user %s)%n", coordinator.jolokiaUrl(), config.jolokia().user());
    System.out.printf("  metrics   %s%n", coordinator.metricsUrl());
    System.out.printf(
        "  JMX       %s%n",
        coordinator
            .jmxServiceUrl()
            .orElse("local attach: jconsole " + ProcessHandle.current().pid()));
    System.out.flush();
    stopped.await();
    return 0;
  }

  private Map<String, String> merged() {
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
}
