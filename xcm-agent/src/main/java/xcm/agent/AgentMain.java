package xcm.agent;

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
import xcm.serve.LaunchOptions;
import xcm.serve.Launcher;

/** {@code xcm agent}: parses options and a properties file into {@link AgentConfig}, runs it. */
@Command(
    name = "xcm agent",
    mixinStandardHelpOptions = true,
    versionProvider = AgentMain.Version.class,
    description = {
      "Runs the XCM agent of one hypervisor host: samples libvirt and serves the host's domains"
          + " as JMX MBeans, through Jolokia and as Prometheus metrics.",
      "Options override the same keys of --config (xcm.agent.<key>)."
    })
public final class AgentMain implements Callable<Integer> {
  private final Map<String, String> options = new LinkedHashMap<>();

  @Mixin private LaunchOptions launch;

  @Option(
      names = "--libvirt-uri",
      paramLabel = "URI",
      description = "libvirt URI, e.g. test:///abs/path/dmz01.xml or qemu:///system")
  void libvirtUri(String v) {
    set("libvirt-uri", v);
  }

  @Option(
      names = "--libvirt-state",
      paramLabel = "FILE",
      description =
          "Test driver only: keep the host's domains in FILE so that they outlive the agent"
              + " (needs the test kit, xcm-testkit, on the class path)")
  void libvirtState(String v) {
    set("libvirt-state", v);
  }

  @Option(
      names = "--name",
      description =
          "Host name in the cluster (default: node XML file name"
              + " for test:/// URIs, else libvirt's host name)")
  void name(String v) {
    set("name", v);
  }

  @Option(names = "--sample-interval", paramLabel = "DURATION", description = "Default: 5s")
  void sampleInterval(String v) {
    set("sample-interval", v);
  }

  @Option(
      names = "--advertise-url",
      paramLabel = "URL",
      description =
          "The Jolokia URL this agent enrols with, where the coordinator reaches it. Default: where"
              + " Jolokia listens")
  void advertiseUrl(String v) {
    set("advertise-url", v);
  }

  @Option(
      names = "--enrol-url",
      paramLabel = "URL[,URL...]",
      description =
          "The coordinators' enrolment doors (https://…/enrol), comma-separated, at most 16: ask"
              + " them for this host's cluster certificate (a standby is passed for the next), and"
              + " serve Jolokia over TLS with it")
  void enrolUrl(String v) {
    set("enrol.url", v);
  }

  @Option(
      names = "--enrol-ca-file",
      paramLabel = "FILE",
      description = "The cluster authority's certificate (the coordinator's <state-dir>/ca/ca.crt)")
  void enrolCaFile(String v) {
    set("enrol.ca-file", v);
  }

  @Option(
      names = "--enrol-token-file",
      paramLabel = "FILE",
      description =
          "File (mode 600) holding a one-time enrolment token (./xcm hosts token HOST): join"
              + " without waiting for an operator's approval")
  void enrolTokenFile(String v) {
    set("enrol.token-file", v);
  }

  @Option(
      names = "--enrol-key-dir",
      paramLabel = "DIR",
      description = "Where this host's key and certificate are kept (mode 700)")
  void enrolKeyDir(String v) {
    set("enrol.key-dir", v);
  }

  // A multi-value setter: picocli hands it every value given so far, so the option repeats.
  @Option(
      names = "--label",
      paramLabel = "KEY=VALUE",
      description =
          "What this host is, for placement rules, e.g. --label rack=r1 --label ssd=true;"
              + " repeatable")
  void labels(List<String> v) {
    set("labels", String.join(",", v));
  }

  @Option(
      names = "--host-uuid",
      paramLabel = "UUID",
      description = "The host UUID to enrol with, where libvirt reports none (its test driver)")
  void hostUuid(String v) {
    set("host-uuid", v);
  }

  @Option(
      names = "--migration-uri",
      paramLabel = "URI",
      description =
          "libvirt URI other hosts' libvirtd use to live-migrate domains here"
              + " (default: --libvirt-uri)")
  void migrationUri(String v) {
    set("migration.uri", v);
  }

  @Option(
      names = "--migration-address",
      paramLabel = "URI",
      description =
          "Where live migration data comes in, e.g. tcp://10.0.0.6 (default: tcp://127.0.0.1"
              + " when the migration URI names no host, else libvirt's choice)")
  void migrationAddress(String v) {
    set("migration.address", v);
  }

  /** The settings the command line gave, by key. */
  Map<String, String> options() {
    return options;
  }

  private void set(String key, String value) {
    options.put(AgentConfig.PREFIX + key, value);
  }

  public static void main(String[] args) {
    Launcher.disableNagle();
    System.exit(new CommandLine(new AgentMain()).execute(args));
  }

  @Override
  public Integer call() throws InterruptedException {
    return Launcher.run(
        "xcm agent",
        launch.configFile(),
        launch.values(AgentConfig.PREFIX, options),
        AgentConfig::load,
        config ->
            Agent.start(
                config,
                ManagementFactory.getPlatformMBeanServer(),
                new PrometheusRegistry(),
                Clock.systemUTC()),
        agent ->
            List.of(
                String.format(
                    "XCM agent %s for host %s (libvirt %s)",
                    Agent.version(), agent.host(), agent.hypervisor().uri()),
                "  Jolokia   " + agent.jolokiaUrl(),
                "  metrics   " + agent.metricsUrl(),
                "  JMX       "
                    + agent
                        .jmxServiceUrl()
                        .orElse("local attach: jconsole " + ProcessHandle.current().pid())));
  }

  /** The agent version from the jar manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"xcm agent " + Agent.version()};
    }
  }
}
