package xcm.coordinator;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import xcm.coordinator.leader.Leadership;
import xcm.serve.LaunchOptions;
import xcm.serve.Launcher;

/** {@code xcm coordinator}: parses options and a properties file, runs a coordinator. */
@Command(
    name = "xcm coordinator",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the XCM coordinator: collects every agent on an interval and serves the cluster's"
          + " summary and detailed views as JMX MBeans, through Jolokia and as Prometheus metrics;"
          + " with a webhook token, drains and balances when Alertmanager's alerts ask for it.",
      "Options override the same keys of --config (xcm.coordinator.<key>)."
    })
public final class CoordinatorMain implements Callable<Integer> {
  /**
   * Exit code of a coordinator that found another holding the lease it held: what it kept in memory
   * may be stale, so it ends, and its service manager starts it again, as a standby.
   */
  static final int DEPOSED = 3;

  private final Map<String, String> options = new LinkedHashMap<>();

  @Mixin private LaunchOptions launch;

  @Option(names = "--collect-interval", paramLabel = "DURATION", description = "Default: 5s")
  void collectInterval(String v) {
    set("collect-interval", v);
  }

  @Option(
      names = "--webhook-token-file",
      paramLabel = "FILE",
      description =
          "Serve the Alertmanager webhook, with the bearer token in this file (16+ characters)")
  void webhookTokenFile(String v) {
    set("webhook.token-file", v);
  }

  @Option(
      names = "--webhook-port",
      paramLabel = "PORT",
      description = "Default: 9290; 0 picks a free port")
  void webhookPort(String v) {
    set("webhook.port", v);
  }

  @Option(
      names = "--enrol-port",
      paramLabel = "PORT",
      description =
          "The enrolment door (HTTPS, POST /enrol), where hosts ask to join; 0 picks a free port."
              + " Default: 8790")
  void enrolPort(String v) {
    set("enrol.port", v);
  }

  @Option(names = "--enrol-address", paramLabel = "ADDRESS", description = "Default: 127.0.0.1")
  void enrolAddress(String v) {
    set("enrol.address", v);
  }

  @Option(names = "--webhook-address", paramLabel = "ADDRESS", description = "Default: 127.0.0.1")
  void webhookAddress(String v) {
    set("webhook.address", v);
  }

  @Option(
      names = "--state-dir",
      paramLabel = "DIR",
      description = "Keep cluster membership here across restarts")
  void stateDir(String v) {
    set("state-dir", v);
  }

  @Option(
      names = "--fence-devices",
      paramLabel = "FILE",
      description =
          "Each host's fence agent and its options (see docs/fencing.md); checked at start")
  void fenceDevices(String v) {
    set("fence-devices", v);
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
        launch.configFile(),
        launch.values(CoordinatorConfig.PREFIX, options),
        CoordinatorConfig::load,
        config -> {
          Coordinator coordinator =
              Coordinator.start(
                  config,
                  ManagementFactory.getPlatformMBeanServer(),
                  new PrometheusRegistry(),
                  Clock.systemUTC());
          Leadership leadership = coordinator.leadership();
          // Not on the leader thread: stopping the coordinator waits for that thread to end.
          leadership.onDeposed(
              () ->
                  new Thread(
                          () -> {
                            System.err.println(
                                "xcm coordinator: "
                                    + leadership.standbyReason()
                                    + "; exiting, to be started again as a standby");
                            System.exit(DEPOSED);
                          },
                          "xcm-deposed")
                      .start());
          return coordinator;
        },
        coordinator ->
            List.of(
                "XCM coordinator",
                "  console   " + coordinator.endpoints().consoleUrl().orElse("off"),
                "  Jolokia   " + coordinator.endpoints().jolokiaUrl(),
                "  metrics   " + coordinator.endpoints().metricsUrl(),
                "  webhook   " + coordinator.webhookUrl().orElse("off (no webhook token)"),
                "  enrol     " + coordinator.enrolmentUrl(),
                "  role      "
                    + (coordinator.leadership().active()
                        ? "active (epoch " + coordinator.leadership().seen().epoch() + ")"
                        : "standby: " + coordinator.leadership().standbyReason()),
                "  JMX       "
                    + coordinator
                        .endpoints()
                        .jmxServiceUrl()
                        .orElse("local attach: jconsole " + ProcessHandle.current().pid())));
  }
}
