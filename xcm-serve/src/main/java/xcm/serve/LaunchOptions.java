package xcm.serve;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The command-line options agent and coordinator share (picocli mixin): the configuration file, the
 * endpoints, and {@code -D key=value} for any other key. Each option sets the key of the same name
 * under the command's prefix, e.g. {@code --jolokia-port} sets {@code xcm.agent.jolokia.port}.
 */
public final class LaunchOptions {
  private final Map<String, String> values = new LinkedHashMap<>();
  private final Map<String, String> defines = new LinkedHashMap<>();

  @Option(
      names = {"-c", "--config"},
      paramLabel = "FILE",
      description = "Properties file with the command's xcm.* keys; options override it")
  private Path configFile;

  @Option(names = "--jolokia-address", paramLabel = "ADDRESS", description = "Default: 127.0.0.1")
  void jolokiaAddress(String v) {
    values.put("jolokia.address", v);
  }

  @Option(
      names = "--jolokia-port",
      paramLabel = "PORT",
      description = "Default: 8778 (agent), 8780 (coordinator); 0 picks a free port")
  void jolokiaPort(String v) {
    values.put("jolokia.port", v);
  }

  @Option(names = "--jolokia-user", paramLabel = "USER", description = "Default: xcm")
  void jolokiaUser(String v) {
    values.put("jolokia.user", v);
  }

  @Option(
      names = "--jolokia-password-file",
      paramLabel = "FILE",
      description = "File holding this process's Jolokia password")
  void jolokiaPasswordFile(String v) {
    values.put("jolokia.password-file", v);
  }

  @Option(
      names = "--jolokia-monitor-user",
      paramLabel = "USER",
      description = "A read-only Jolokia user (read, list, search). Default: monitor")
  void jolokiaMonitorUser(String v) {
    values.put("jolokia.monitor.user", v);
  }

  @Option(
      names = "--jolokia-monitor-password-file",
      paramLabel = "FILE",
      description = "File holding the read-only Jolokia user's password; turns that user on")
  void jolokiaMonitorPasswordFile(String v) {
    values.put("jolokia.monitor.password-file", v);
  }

  @Option(names = "--metrics-address", paramLabel = "ADDRESS", description = "Default: 127.0.0.1")
  void metricsAddress(String v) {
    values.put("metrics.address", v);
  }

  @Option(
      names = "--metrics-port",
      paramLabel = "PORT",
      description = "Default: 9278 (agent), 9280 (coordinator); 0 picks a free port")
  void metricsPort(String v) {
    values.put("metrics.port", v);
  }

  @Option(
      names = "--jmx-port",
      paramLabel = "PORT",
      description = "Start a JMX remote connector on this port (needs the two files below)")
  void jmxPort(String v) {
    values.put("jmx.port", v);
  }

  @Option(names = "--jmx-address", paramLabel = "ADDRESS", description = "Default: 127.0.0.1")
  void jmxAddress(String v) {
    values.put("jmx.address", v);
  }

  @Option(
      names = "--jmx-password-file",
      paramLabel = "FILE",
      description = "JDK jmxremote.password format, mode 600")
  void jmxPasswordFile(String v) {
    values.put("jmx.password-file", v);
  }

  @Option(
      names = "--jmx-access-file",
      paramLabel = "FILE",
      description = "JDK jmxremote.access format")
  void jmxAccessFile(String v) {
    values.put("jmx.access-file", v);
  }

  @Option(
      names = "-D",
      paramLabel = "KEY=VALUE",
      description = "Any key of the command, e.g. -D xcm.agent.sample-interval=10s")
  void define(Map<String, String> keys) {
    defines.putAll(keys);
  }

  public Path configFile() {
    return configFile;
  }

  /**
   * The keys these options set under {@code prefix}, then {@code own} (the command's own options,
   * already prefixed), then the {@code -D} keys.
   */
  public Map<String, String> values(String prefix, Map<String, String> own) {
    Map<String, String> all = new LinkedHashMap<>();
    values.forEach((key, value) -> all.put(prefix + key, value));
    all.putAll(own);
    all.putAll(defines);
    return all;
  }
}
