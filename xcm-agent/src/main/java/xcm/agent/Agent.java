package xcm.agent;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.UUID;
import javax.management.JMException;
import javax.management.MBeanServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import xcm.agent.enrol.Enrolment;
import xcm.agent.enrol.EnrolmentConfig;
import xcm.agent.epoch.Epochs;
import xcm.agent.jmx.MBeanPublisher;
import xcm.agent.libvirt.Hypervisor;
import xcm.agent.libvirt.HypervisorException;
import xcm.agent.libvirt.LibvirtHypervisor;
import xcm.agent.libvirt.PersistentHypervisors;
import xcm.agent.metrics.AgentCollector;
import xcm.agent.migration.Handovers;
import xcm.agent.migration.Migrations;
import xcm.agent.reach.AgentProbe;
import xcm.agent.sample.Sampler;
import xcm.agent.trust.AgentTrust;
import xcm.serve.CertificateUsers;
import xcm.serve.Endpoints;
import xcm.serve.LogText;
import xcm.serve.Parts;
import xcm.serve.StartException;
import xcm.trust.ticket.TicketVerifier;

/**
 * One running agent: a libvirt connection, its sampler, its migrations, the MBeans, Jolokia, {@code
 * /metrics} and (optionally) a JMX remote connector.
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

  /**
   * Read the xcm MBeans and java.lang, execute only {@code xcm:type=HostOperations}, nothing else.
   */
  static final String JOLOKIA_POLICY = "classpath:/xcm/agent/jolokia-access.xml";

  private final String host;
  private final Hypervisor hypervisor;
  private final Sampler sampler;
  private final Endpoints endpoints;
  private final Parts parts;

  private Agent(
      String host, Hypervisor hypervisor, Sampler sampler, Endpoints endpoints, Parts parts) {
    this.host = host;
    this.hypervisor = hypervisor;
    this.sampler = sampler;
    this.endpoints = endpoints;
    this.parts = parts;
  }

  /**
   * Connects to libvirt, takes the first sample, then opens the endpoints.
   *
   * @throws StartException naming the URI and libvirt's message when libvirt cannot be reached, or
   *     the address and port an endpoint could not bind
   */
  public static Agent start(
      AgentConfig config, MBeanServer server, PrometheusRegistry registry, Clock clock)
      throws StartException {
    Parts parts = new Parts(config.name() != null ? config.name() : config.libvirtUri());
    try {
      Hypervisor hypervisor = parts.add(openHypervisor(config));
      String host = hostName(config, hypervisor);
      // Read before anything is served: a request the former active sends must meet the fence.
      Epochs epochs = epochs(config, host);
      Sampler sampler =
          parts.add(
              new Sampler(
                  hypervisor, host, config.sampleInterval(), config.reconnectMaxBackoff(), clock));
      sampler.start();
      Optional<Handovers> handovers =
          hypervisor.canMigrateLive() ? Optional.empty() : find(Handovers.class);
      Optional<AgentTrust> trust = config.enrol().map(e -> new AgentTrust(e.authority()));
      Migrations migrations =
          parts.add(
              Migrations.create(
                  host,
                  hypervisor,
                  trust.map(t -> t::peerClientTls),
                  // Enrolled: domains come in only with the coordinator's tickets.
                  config
                      .enrol()
                      .map(e -> TicketVerifier.builder().authority(e.authority()).build()),
                  config.migration(),
                  handovers,
                  sampler::requestSample));
      Optional<UUID> hostUuid = hostUuid(config, hypervisor, config.enrol().isPresent());
      parts.add(
          MBeanPublisher.publish(
              server,
              sampler,
              hypervisor,
              migrations,
              version(),
              hypervisor.canMigrateLive() ? config.migration() : null,
              hostUuid,
              config.labels(),
              AgentProbe.overTls(host, trust.map(t -> t::peerClientTls)),
              epochs));
      registry.register(new AgentCollector(sampler::latest, config.labels(), epochs::refusals));
      Endpoints endpoints =
          Endpoints.open(
              parts,
              server,
              registry,
              "xcm-agent-" + host,
              JOLOKIA_POLICY,
              config.jolokia(),
              trust.map(AgentTrust::provisionalServerTls),
              trust.map(AgentTrust::jolokiaUsers).orElse(CertificateUsers.NONE),
              Optional.empty(),
              config.metrics(),
              config.jmx());
      String advertised =
          config.advertiseUrl() != null ? config.advertiseUrl() : endpoints.jolokiaUrl();
      migrations.outgoing().knownAs(endpoints.jolokiaUrl());
      migrations.outgoing().knownAs(advertised);
      if (config.enrol().isPresent()) {
        parts.add(
            enrol(
                config.enrol().get(),
                host,
                hostUuid.orElseThrow(),
                advertised,
                endpoints,
                trust.get()));
      }
      Agent agent = new Agent(host, hypervisor, sampler, endpoints, parts);
      log.info(
          "{}: agent started on {} (Jolokia {}, metrics {})",
          host,
          config.libvirtUri(),
          agent.jolokiaUrl(),
          agent.metricsUrl());
      if (!hypervisor.canMigrateLive() && handovers.isEmpty()) {
        log.warn(
            "{}: libvirt's driver here cannot migrate live and no hand-over between agents is on"
                + " the class path (test support, xcm-testkit): this agent migrates no domain",
            host);
      }
      if (trust.isEmpty()) {
        log.warn(
            "{}: not enrolled (xcm.agent.enrol.url): no coordinator reaches this agent, and it"
                + " migrates no domain",
            host);
      }
      return agent;
    } catch (HypervisorException e) {
      parts.close();
      throw new StartException(e.getMessage(), e);
    } catch (JMException e) {
      parts.close();
      throw new StartException(
          "cannot register the agent's MBeans (is another agent running in this JVM?): "
              + e.getMessage(),
          e);
    } catch (StartException | RuntimeException e) {
      parts.close();
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

  /** Where Jolokia, /metrics and the JMX connector are reached. */
  public Endpoints endpoints() {
    return endpoints;
  }

  /** Jolokia's base URL, e.g. {@code http://127.0.0.1:8778/jolokia/}. */
  public String jolokiaUrl() {
    return endpoints.jolokiaUrl();
  }

  /** {@code http://address:port/metrics}. */
  public String metricsUrl() {
    return endpoints.metricsUrl();
  }

  /** The JMX service URL for JConsole, when the remote connector runs. */
  public Optional<String> jmxServiceUrl() {
    return endpoints.jmxServiceUrl();
  }

  @Override
  public void close() {
    parts.close();
    log.info("{}: agent stopped", host);
  }

  /**
   * Asks the coordinator for this host's certificate (at once, or in the background until an
   * operator approves), and has Jolokia present it as soon as it comes.
   */
  private static Enrolment enrol(
      EnrolmentConfig config,
      String host,
      UUID uuid,
      String url,
      Endpoints endpoints,
      AgentTrust trust)
      throws StartException {
    try {
      return Enrolment.start(
          config,
          host,
          url,
          uuid,
          credentials -> {
            try {
              endpoints.reloadJolokiaTls(trust.enrolled(credentials));
              log.info("{}: Jolokia presents this host's cluster certificate", host);
            } catch (IOException | RuntimeException e) {
              log.error(
                  "{}: Jolokia cannot take this host's certificate: {}", host, LogText.escape(e));
            }
          });
    } catch (IOException e) {
      throw new StartException(
          "cannot open this host's key in " + config.keyDir() + ": " + e.getMessage(), e);
    }
  }

  /**
   * The newest coordinator epoch seen, from {@code epoch-file} when there is one.
   *
   * @throws StartException naming the file when it cannot be read or holds no epoch
   */
  private static Epochs epochs(AgentConfig config, String host) throws StartException {
    if (config.epochFile().isEmpty()) {
      return Epochs.inMemory(host);
    }
    Path file = config.epochFile().get();
    try {
      return Epochs.open(host, file);
    } catch (IOException e) {
      throw new StartException(
          "cannot read the newest coordinator epoch this agent has seen from "
              + file
              + " ("
              + AgentConfig.PREFIX
              + "epoch-file): "
              + e.getMessage(),
          e);
    }
  }

  /**
   * libvirt's host UUID, else the configured one; when both are there they must agree. Empty when
   * neither is known, which an agent that enrols may not be.
   */
  private static Optional<UUID> hostUuid(AgentConfig config, Hypervisor hypervisor, boolean enrols)
      throws StartException {
    Optional<UUID> libvirt;
    try {
      libvirt = Optional.of(hypervisor.hostUuid());
    } catch (HypervisorException e) {
      if (enrols && config.hostUuid().isEmpty()) {
        throw new StartException(
            e.getMessage()
                + "; give the host's UUID to enrol with in "
                + AgentConfig.PREFIX
                + "host-uuid",
            e);
      }
      return config.hostUuid();
    }
    if (config.hostUuid().isPresent() && !libvirt.get().equals(config.hostUuid().get())) {
      throw new StartException(
          AgentConfig.PREFIX
              + "host-uuid is "
              + config.hostUuid().get()
              + ", but libvirt at "
              + hypervisor.uri()
              + " reports host UUID "
              + libvirt.get()
              + ": remove the key",
          null);
    }
    return libvirt;
  }

  /** The version in the jar's manifest, or "dev" when run from classes. */
  public static String version() {
    String version = Agent.class.getPackage().getImplementationVersion();
    return version != null ? version : "dev";
  }

  /**
   * libvirt at the configured URI; with a state file, through the {@link PersistentHypervisors}
   * found on the class path, and not at all without one.
   */
  private static Hypervisor openHypervisor(AgentConfig config)
      throws HypervisorException, StartException {
    if (config.libvirtState() == null) {
      return LibvirtHypervisor.open(config.libvirtUri());
    }
    PersistentHypervisors persistent =
        find(PersistentHypervisors.class)
            .orElseThrow(
                () ->
                    new StartException(
                        "cannot keep the domains of "
                            + config.libvirtUri()
                            + " in "
                            + config.libvirtState()
                            + " (xcm.agent.libvirt-state): that is test support, in xcm-testkit,"
                            + " which is not on this agent's class path",
                        null));
    return persistent.open(config.libvirtUri(), config.libvirtState());
  }

  /** The first implementation of an extension point on the class path, if any. */
  private static <T> Optional<T> find(Class<T> extension) {
    return ServiceLoader.load(extension, Agent.class.getClassLoader()).findFirst();
  }

  private static String hostName(AgentConfig config, Hypervisor hypervisor)
      throws HypervisorException {
    if (config.name() != null) {
      return config.name();
    }
    Optional<String> fromUri = AgentConfig.nameFromTestUri(config.libvirtUri());
    return fromUri.isPresent() ? fromUri.get() : hypervisor.hostName();
  }
}
