package xcm.coordinator;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import xcm.serve.Launcher;

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
    Launcher.disableNagle();
    System.exit(new CommandLine(new CoordinatorMain()).execute(args));
  }

  @Override
  public Integer call() throws InterruptedException {
    return Launcher.run(
        "xcm coordinator",
        configFile,
        options,
        CoordinatorConfig::load,
        config ->
            Coordinator.start(
                config,
                ManagementFactory.getPlatformMBeanServer(),
                new PrometheusRegistry(),
                Clock.systemUTC()),
        coordinator ->
            List.of(
                "XCM coordinator",
                "  Jolokia   " + coordinator.endpoints().jolokiaUrl(),
                "  metrics   " + coordinator.endpoints().metricsUrl(),
                "  JMX       "
                    + coordinator
                        .endpoints()
                        .jmxServiceUrl()
                        .orElse("local attach: jconsole " + ProcessHandle.current().pid())));
  }
}
