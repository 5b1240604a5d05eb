package xcm.agent;

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

/** {@code xcm agent}: parses options and a properties file into {@link AgentConfig}, runs it. */
@Command(
    name = "xcm agent",
    mixinStandardHelpOptions = true,
    versionProvider = AgentMain.Version.class,
    sortOptions = false,
    description = {
      "Runs the XCM agent of one hypervisor host: samples libvirt and serves the host's domains"
          + " as JMX MBeans, through Jolokia and as Prometheus metrics.",
      "Options override the same keys of --config (xcm.agent.<key>)."
    })
public final class AgentMain implements Callable<Integer> {
  private final Map<String, String> options = new LinkedHashMap<>();

  @Option(
      names = {"-c", "--config"},
      paramLabel = "FILE",
      description = "Properties file with xcm.agent.* keys")
  private Path configFile;

  @Option(
      names = "--libvirt-uri",
      paramLabel = "URI",
      description = "libvirt URI, e.g. test:///abs/path/dmz01.xml or qemu:///system")
  void libvirtUri(String v) {
    set("libvirt-uri", v);
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

  @Option(names = "--jolokia-address", paramLabel = "ADDRESS", description = "Default: 127.0.0.1")
  void jolokiaAddress(String v) {
    set("jolokia.address", v);
  }

  @Option(names = "--jolokia-port", paramLabel = "PORT", description = "Default: 8778")
  void jolokiaPort(String v) {
    set("jolokia.port", v);
  }

  @Option(names = "--jolokia-user", paramLabel = "USER", description = "Default: xcm")
  void jolokiaUser(String v) {
    set("jolokia.user", v);
  }

  @Option(
      names = "--jolokia-password-file",
      paramLabel = "FILE",
      description = "File holding the Jolokia password")
  void jolokiaPasswordFile(String v) {
    set("jolokia.password-file", v);
  }

  @Option(names = "--metrics-address", paramLabel = "ADDRESS", description = "Default: 127.0.0.1")
  void metricsAddress(String v) {
    set("metrics.address", v);
  }

  @Option(names = "--metrics-port", paramLabel = "PORT", description = "Default: 9278")
  void metricsPort(String v) {
    set("metrics.port", v);
  }

  @Option(
      names = "--jmx-port",
      paramLabel = "PORT",
      description = "Start a JMX remote connector on this port (needs the two files below)")
  void jmxPort(String v) {
    set("jmx.port", v);
  }

  @Option(names = "--jmx-address", paramLabel = "ADDRESS", description = "Default: 127.0.0.1")
  void jmxAddress(String v) {
    set("jmx.address", v);
  }

  @Option(
      names = "--jmx-password-file",
      paramLabel = "FILE",
      description = "JDK jmxremote.password format, mode 600")
  void jmxPasswordFile(String v) {
    set("jmx.password-file", v);
  }

  @Option(
      names = "--jmx-access-file",
      paramLabel = "FILE",
      description = "JDK jmxremote.access format")
  void jmxAccessFile(String v) {
    set("jmx.access-file", v);
  }

  @Option(
      names = "--coordinator",
      paramLabel = "URL",
      description = "Register with the coordinator whose Jolokia is at URL")
  void coordinator(String v) {
    set("coordinator.url", v);
  }

  @Option(
      names = "--coordinator-password-file",
      paramLabel = "FILE",
      description = "File holding the coordinator's Jolokia password")
  void coordinatorPasswordFile(String v) {
    set("coordinator.password-file", v);
  }

  @Option(
      names = "-D",
      paramLabel = "KEY=VALUE",
      description = "Any xcm.agent.* key, e.g. -D xcm.agent.jolokia.password=secret")
  void define(Map<String, String> values) {
    options.putAll(values);
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
        configFile,
        options,
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
