package xcm.agent.jmx;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import javax.management.InstanceAlreadyExistsException;
import javax.management.JMException;
import javax.management.MBeanServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import xcm.agent.epoch.Epochs;
import xcm.agent.libvirt.Hypervisor;
import xcm.agent.migration.MigrationConfig;
import xcm.agent.migration.Migrations;
import xcm.agent.reach.AgentProbe;
import xcm.agent.sample.DomainSample;
import xcm.agent.sample.HostSample;
import xcm.agent.sample.Sampler;
import xcm.mbeans.DescribedMXBean;
import xcm.mbeans.DomainMXBean;
import xcm.mbeans.HostMXBean;
import xcm.mbeans.HostOperationsMXBean;
import xcm.mbeans.ObjectNames;
import xcm.mbeans.placement.HostLabels;
import xcm.serve.LogText;
import xcm.serve.MBeans;

/**
 * Keeps an agent's MBeans in step with its samples: {@code xcm:type=Host} and {@code
 * xcm:type=HostOperations} for the agent's life, one {@code xcm:type=Domain} per domain, registered
 * when it appears in a sample and unregistered when it is gone from one.
 *
 * <p>Thread-safe: {@link #accept} runs on the sampler thread; {@link #close} after the sampler
 * stopped.
 */
public final class MBeanPublisher implements Consumer<HostSample>, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(MBeanPublisher.class);

  private final MBeanServer server;
  private final String host;
  private final Map<String, DomainView> domains = new HashMap<>();

  private MBeanPublisher(MBeanServer server, String host) {
    this.server = server;
    this.host = host;
  }

  /**
   * Registers the host MBeans and the current domains, and follows the sampler from now on.
   *
   * @param migration what the host advertises for live migrations to it; null where its hypervisor
   *     cannot take them (libvirt's test driver)
   * @param hostUuid libvirt's UUID of the host; empty when unknown
   * @param labels what an operator says the host is
   * @param probe how the agent tells whether it reaches another agent
   * @param epochs the coordinator epochs the host's changes are admitted by
   * @throws JMException when an XCM agent's MBeans are already registered in {@code server}
   */
  public static MBeanPublisher publish(
      MBeanServer server,
      Sampler sampler,
      Hypervisor hypervisor,
      Migrations migrations,
      String agentVersion,
      MigrationConfig migration,
      Optional<UUID> hostUuid,
      HostLabels labels,
      AgentProbe probe,
      Epochs epochs)
      throws JMException {
    HostSample first = sampler.latest();
    MBeanPublisher publisher = new MBeanPublisher(server, first.host());
    HostView hostView =
        new HostView(
            sampler::latest,
            agentVersion,
            sampler.interval().toMillis() / 1000.0,
            migration != null ? migration.uri() : "",
            migration != null ? migration.address() : "",
            hostUuid.map(UUID::toString).orElse(""),
            labels.asMap());
    server.registerMBean(DescribedMXBean.of(hostView, HostMXBean.class), ObjectNames.host());
    try {
      server.registerMBean(
          DescribedMXBean.of(
              new HostOperations(hypervisor, sampler, first.host(), migrations, probe, epochs),
              HostOperationsMXBean.class),
          ObjectNames.hostOperations());
    } catch (JMException e) {
      MBeans.unregister(server, ObjectNames.host());
      throw e;
    }
    synchronized (publisher) {
      publisher.accept(first);
    }
    sampler.addListener(publisher);
    return publisher;
  }

  @Override
  public synchronized void accept(HostSample sample) {
    Map<String, DomainSample> current = sample.domainsByName();
    for (Iterator<Map.Entry<String, DomainView>> it = domains.entrySet().iterator();
        it.hasNext(); ) {
      Map.Entry<String, DomainView> entry = it.next();
      DomainSample domain = current.get(entry.getKey());
      if (domain == null) {
        MBeans.unregister(server, ObjectNames.domain(entry.getKey()));
        it.remove();
      } else {
        entry.getValue().update(domain);
      }
    }
    for (DomainSample domain : current.values()) {
      if (!domains.containsKey(domain.name())) {
        DomainView view = new DomainView(host, domain);
        try {
          server.registerMBean(
              DescribedMXBean.of(view, DomainMXBean.class), ObjectNames.domain(domain.name()));
          domains.put(domain.name(), view);
        } catch (InstanceAlreadyExistsException e) {
          log.error(
              "{}: an MBean for domain '{}' exists already", host, LogText.escape(domain.name()));
        } catch (JMException e) {
          log.error(
              "{}: cannot register the MBean of domain '{}'",
              host,
              LogText.escape(domain.name()),
              e);
        }
      }
    }
  }

  @Override
  public synchronized void close() {
    for (String name : domains.keySet()) {
      MBeans.unregister(server, ObjectNames.domain(name));
    }
    domains.clear();
    MBeans.unregister(server, ObjectNames.hostOperations());
    MBeans.unregister(server, ObjectNames.host());
  }
}
