package xcm.serve;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.util.Optional;
import javax.management.MBeanServer;
import xcm.serve.http.ServerTls;

/**
 * How an XCM process is reached: Jolokia, {@code /metrics} and, when configured, a JMX remote
 * connector. Opened together, each added to the process's {@link Parts}.
 *
 * <pre>{@code
 * Endpoints endpoints = Endpoints.open(parts, server, registry, "xcm-agent-dmz01",
 *     "classpath:/xcm/agent/jolokia-access.xml", config.jolokia(), config.metrics(), config.jmx());
 * }</pre>
 */
public final class Endpoints {
  private final JolokiaEndpoint jolokia;
  private final MetricsEndpoint metrics;
  private final RemoteConnector jmx;

  private Endpoints(JolokiaEndpoint jolokia, MetricsEndpoint metrics, RemoteConnector jmx) {
    this.jolokia = jolokia;
    this.metrics = metrics;
    this.jmx = jmx;
  }

  /**
   * @param jolokiaId names Jolokia's own MBean; unique per process in a JVM
   * @param policy the Jolokia access policy's location; it decides for JMX remote callers too
   * @throws StartException naming the endpoint, address and port that could not be opened
   */
  public static Endpoints open(
      Parts parts,
      MBeanServer server,
      PrometheusRegistry registry,
      String jolokiaId,
      String policy,
      JolokiaConfig jolokia,
      MetricsConfig metrics,
      Optional<JmxRemoteConfig> jmx)
      throws StartException {
    return open(
        parts,
        server,
        registry,
        jolokiaId,
        policy,
        jolokia,
        Optional.empty(),
        CertificateUsers.NONE,
        Optional.empty(),
        metrics,
        jmx);
  }

  /**
   * As {@link #open(Parts, MBeanServer, PrometheusRegistry, String, String, JolokiaConfig,
   * MetricsConfig, Optional)}, with Jolokia over {@code clusterTls} when present (the cluster's own
   * certificates, instead of {@code jolokia.tls.*} key stores), its clients' certificates standing
   * for {@code certificateUsers}, and {@code console} served beside Jolokia when present.
   */
  public static Endpoints open(
      Parts parts,
      MBeanServer server,
      PrometheusRegistry registry,
      String jolokiaId,
      String policy,
      JolokiaConfig jolokia,
      Optional<ServerTls> clusterTls,
      CertificateUsers certificateUsers,
      Optional<Console> console,
      MetricsConfig metrics,
      Optional<JmxRemoteConfig> jmx)
      throws StartException {
    JolokiaEndpoint jolokiaEndpoint =
        parts.open(
            "Jolokia",
            jolokia.address(),
            jolokia.port(),
            () ->
                JolokiaEndpoint.start(
                    jolokiaId,
                    policy,
                    jolokia,
                    clusterTls.isPresent() ? clusterTls : JolokiaEndpoint.configuredTls(jolokia),
                    certificateUsers,
                    console));
    MetricsEndpoint metricsEndpoint =
        parts.open(
            "metrics",
            metrics.address(),
            metrics.port(),
            () -> MetricsEndpoint.start(registry, metrics));
    RemoteConnector connector = null;
    if (jmx.isPresent()) {
      JmxRemoteConfig remote = jmx.get();
      connector =
          parts.open(
              "JMX remote connector",
              remote.address(),
              remote.port(),
              () -> RemoteConnector.start(server, remote, policy));
    }
    return new Endpoints(jolokiaEndpoint, metricsEndpoint, connector);
  }

  /** The web console's URL, when one is served. */
  public Optional<String> consoleUrl() {
    return jolokia.consoleUrl();
  }

  /** Jolokia's base URL, e.g. {@code http://127.0.0.1:8778/jolokia/}. */
  public String jolokiaUrl() {
    return jolokia.url();
  }

  /** New Jolokia handshakes present {@code tls}'s certificate: an agent's, once enrolled. */
  public void reloadJolokiaTls(ServerTls tls) throws IOException {
    jolokia.reloadTls(tls);
  }

  /** {@code http://address:port/metrics}. */
  public String metricsUrl() {
    return metrics.url();
  }

  /** The JMX service URL for JConsole, when the remote connector runs. */
  public Optional<String> jmxServiceUrl() {
    return Optional.ofNullable(jmx).map(RemoteConnector::serviceUrl);
  }
}
