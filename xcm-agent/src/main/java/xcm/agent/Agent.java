package xcm.agent;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import javax.management.JMException;
import javax.management.MBeanServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import xcm.agent.jmx.MBeanPublisher;
import xcm.agent.jmx.RemoteConnector;
import xcm.agent.jolokia.JolokiaEndpoint;
import xcm.agent.libvirt.Hypervisor;
import xcm.agent.libvirt.HypervisorException;
import xcm.agent.libvirt.LibvirtHypervisor;
import xcm.agent.metrics.MetricsEndpoint;
import xcm.agent.sample.Sampler;

/**
 * One running agent: a libvirt connection, its sampler, the MBeans, Jolokia, {@code /metrics} and
 * (optionally) a JMX remote connector.
 *
 * <pre>{@code
 * try (Agent agent = Agent.start(AgentConfig.load(properties),
 *     ManagementFactory.getPlatformMBeanServer(), new PrometheusRegistry(), Clock.systemUTC())) {
 *   System.out.println(agent.jolokiaUrl());
 * }
 * }</pre>
 *
 * <p>Thread-safe. {@link #close()} stops everything it started, in reverse order.
 */
public final class Agent implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Agent.class);

  private final String host;
  private final Hypervisor hypervisor;
  private final Sampler sampler;
  private final JolokiaEndpoint jolokia;
  private final MetricsEndpoint metrics;
  private final RemoteConnector jmx;
  private final Deque<AutoCloseable> started;

  private Agent(Builder b) {
    this.host = b.host;
    this.hypervisor = b.hypervisor;
    this.sampler = b.sampler;
    this.jolokia = b.jolokia;
    this.metrics = b.metrics;
    this.jmx = b.jmx;
    this.started = b.started;
  }

  /**
   * Connects to libvirt, takes the first sample, then opens the endpoints.
   *
   * @throws AgentStartException naming the URI and libvirt's message when libvirt cannot be
   *     reached, or the address and port an endpoint could not bind
   */
  public static Agent start(
      AgentConfig config, MBeanServer server, PrometheusRegistry registry, Clock clock)
      throws AgentStartException {
    Builder b = new Builder();
    try {
      b.hypervisor = b.track(LibvirtHypervisor.open(config.libvirtUri()));
      b.host = hostName(config, b.hypervisor);
      b.sampler =
          b.track(
              new Sampler(
                  b.hypervisor,
                  b.host,
                  config.sampleInterval(),
                  config.reconnectMaxBackoff(),
                  clock));
      b.sampler.start();
      b.track(MBeanPublisher.publish(server, b.sampler, b.hypervisor, version()));
      b.jolokia =
          b.track(
              bind(
                  "Jolokia",
                  config.jolokiaAddress(),
                  config.jolokiaPort(),
                  () ->
                      JolokiaEndpoint.start(
                          b.host,
                          config.jolokiaAddress(),
                          config.jolokiaPort(),
                          config.jolokiaUser(),
                          config.jolokiaPassword())));
      b.metrics =
          b.track(
              bind(
                  "metrics",
                  config.metricsAddress(),
                  config.metricsPort(),
                  () ->
                      MetricsEndpoint.start(
                          registry,
                          b.sampler::latest,
                          config.metricsAddress(),
                          config.metricsPort())));
      if (config.jmxPort().isPresent()) {
        int port = config.jmxPort().get();
        b.jmx =
            b.track(
                bind(
                    "JMX remote connector",
                    config.jmxAddress(),
                    port,
                    () ->
                        RemoteConnector.start(
                            server,
                            config.jmxAddress(),
                            port,
                            config.jmxPasswordFile(),
                            config.jmxAccessFile())));
      }
      Agent agent = new Agent(b);
      log.info(
          "{}: agent started on {} (Jolokia {}, metrics {})",
          agent.host,
          config.libvirtUri(),
          agent.jolokiaUrl(),
          agent.metricsUrl());
      return agent;
    } catch (HypervisorException e) {
      b.closeAll();
      throw new AgentStartException(e.getMessage(), e);
    } catch (JMException e) {
      b.closeAll();
      throw new AgentStartException(
          "cannot register the agent's MBeans (is another agent running in this JVM?): "
              + e.getMessage(),
          e);
    } catch (AgentStartException | RuntimeException e) {
      b.closeAll();
      throw e;
    }
  }

  public String host() {
    return host;
  }

  public Hypervisor hypervisor() {
    return hypervisor;
  }

  public Sampler sampler() {
    return sampler;
  }

  /** Jolokia's base URL, e.g. {@code http://127.0.0.1:8778/jolokia/}. */
  public String jolokiaUrl() {
    return jolokia.url();
  }

  /** {@code http://address:port/metrics}. */
  public String metricsUrl() {
    return metrics.url();
  }

  /** The JMX service URL for JConsole, when the remote connector runs. */
  public Optional<String> jmxServiceUrl() {
    return Optional.ofNullable(jmx).map(RemoteConnector::serviceUrl);
  }

  @Override
  public void close() {
    Builder.closeAll(started, host);
    log.info("{}: agent stopped", host);
  }

  /** The version in the jar's manifest, or "dev" when run from classes. */
  public static String version() {
    String version = Agent.class.getPackage().getImplementationVersion();
    return version != null ? version : "dev";
  }

  private static String hostName(AgentConfig config, Hypervisor hypervisor)
      throws HypervisorException {
    if (config.name() != null) {
      return config.name();
    }
    Optional<String> fromUri = AgentConfig.nameFromTestUri(config.libvirtUri());
    return fromUri.isPresent() ? fromUri.get() : hypervisor.hostName();
  }

  private interface Opener<T> {
    T open() throws IOException;
  }

  private static <T> T bind(String what, String address, int port, Opener<T> opener)
      throws AgentStartException {
    try {
      return opener.open();
    } catch (IOException e) {
      throw new AgentStartException(
          "cannot start " + what + " on " + address + ":" + port + ": " + e.getMessage(), e);
    }
  }

  /** What {@link #start} has opened so far, so that a failure half-way closes exactly that. */
  private static final class Builder {
    final Deque<AutoCloseable> started = new ArrayDeque<>();
    String host;
    Hypervisor hypervisor;
    Sampler sampler;
    JolokiaEndpoint jolokia;
    MetricsEndpoint metrics;
    RemoteConnector jmx;

    <T extends AutoCloseable> T track(T resource) {
      started.push(resource);
      return resource;
    }

    void closeAll() {
      closeAll(started, host);
    }

    static void closeAll(Deque<AutoCloseable> started, String host) {
      while (!started.isEmpty()) {
        AutoCloseable resource = started.pop();
        try {
          resource.close();
        } catch (Exception e) {
          log.warn("{}: cannot stop {}: {}", host, resource, e.getMessage());
        }
      }
    }
  }
}
