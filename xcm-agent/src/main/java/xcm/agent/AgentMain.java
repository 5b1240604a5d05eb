package xcm.agent;

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
    // The JDK HTTP server (under Jolokia and /metrics) leaves Nagle's algorithm on: a response
    // written in pieces then waits for the client's delayed ACK, 40 ms per Jolokia read.
    System.setProperty("sun.net.httpserver.nodelay", "true");
    System.exit(new CommandLine(new AgentMain()).execute(args));
  }

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter err = new PrintWriter(System.err, true);
    AgentConfig config;
    try {
      config = AgentConfig.load(merged());
    } catch (ConfigException e) {
      err.println("xcm agent: " + e.getMessage());
      return 2;
    }
    Agent agent;
    try {
      agent =
          Agent.start(
              config,
              ManagementFactory.getPlatformMBeanServer(),
              new PrometheusRegistry(),
              Clock.systemUTC());
    } catch (StartException e) {
      err.println("xcm agent: " + e.getMessage());
      return 1;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  agent.close();
                  stopped.countDown();
                },
                "xcm-agent-shutdown"));
    System.out.printf(
        "XCM agent %s for host %s (libvirt %s)%n",
        Agent.version(), agent.host(), config.libvirtUri());
    System.out.printf("  Jolokia   %s  (user %s)%n", agent.jolokiaUrl(), config.jolokia().user());
    System.out.printf("  metrics   %s%n", agent.metricsUrl());
    System.out.printf(
        "  JMX       %s%n",
        agent.jmxServiceUrl().orElse("local attach: jconsole " + ProcessHandle.current().pid()));
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

  /** The agent version from the jar manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"xcm agent " + Agent.version()};
    }
  }
}
