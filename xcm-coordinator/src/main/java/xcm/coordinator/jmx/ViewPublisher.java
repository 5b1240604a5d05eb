package xcm.coordinator.jmx;

import java.util.HashSet;
import java.util.Set;
import java.util.function.Consumer;
import javax.management.JMException;
import javax.management.MBeanServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import xcm.coordinator.collect.Membership;
import xcm.coordinator.enrol.EnrolmentDesk;
import xcm.coordinator.failure.Availability;
import xcm.coordinator.inventory.ClusterSnapshot;
import xcm.coordinator.inventory.Inventory;
import xcm.coordinator.operation.OperationService;
import xcm.coordinator.rules.RulesService;
import xcm.mbeans.ClusterHostMXBean;
import xcm.mbeans.ClusterMXBean;
import xcm.mbeans.DescribedMXBean;
import xcm.mbeans.EnrolmentMXBean;
import xcm.mbeans.ObjectNames;
import xcm.mbeans.OperationsMXBean;
import xcm.mbeans.RulesMXBean;
import xcm.serve.LogText;
import xcm.serve.MBeans;

/**
 * The coordinator's MBeans: {@code xcm:type=Cluster}, {@code xcm:type=Operations}, {@code
 * xcm:type=Enrolment}, {@code xcm:type=Rules}, and one {@code xcm:type=Cluster,host=...} per host
 * in the inventory, registered when a host joins and unregistered when the dead-host collector
 * drops it.
 *
 * <p>Thread-safe.
 */
public final class ViewPublisher implements Consumer<ClusterSnapshot>, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ViewPublisher.class);

  private final MBeanServer server;
  private final Inventory inventory;
  private final Set<String> hosts = new HashSet<>();

  private ViewPublisher(MBeanServer server, Inventory inventory) {
    this.server = server;
    this.inventory = inventory;
  }

  /** Registers the views and follows the inventory from now on. */
  public static ViewPublisher publish(
      MBeanServer server,
      Inventory inventory,
      Membership membership,
      OperationService operations,
      EnrolmentDesk enrolment,
      RulesService rules,
      Availability availability)
      throws JMException {
    ViewPublisher publisher = new ViewPublisher(server, inventory);
    server.registerMBean(
        DescribedMXBean.of(new ClusterView(inventory::snapshot, availability), ClusterMXBean.class),
        ObjectNames.cluster());
    try {
      server.registerMBean(
          DescribedMXBean.of(
              new OperationsView(membership, operations, availability.failures()),
              OperationsMXBean.class),
          ObjectNames.operations());
      server.registerMBean(
          DescribedMXBean.of(
              new EnrolmentView(enrolment, operations.audit()), EnrolmentMXBean.class),
          ObjectNames.enrolment());
      server.registerMBean(
          DescribedMXBean.of(new RulesView(rules), RulesMXBean.class), ObjectNames.rules());
    } catch (JMException e) {
      MBeans.unregister(server, ObjectNames.enrolment());
      MBeans.unregister(server, ObjectNames.operations());
      MBeans.unregister(server, ObjectNames.cluster());
      throw e;
    }
    inventory.addListener(publisher);
    publisher.accept(inventory.snapshot());
    return publisher;
  }

  @Override
  public synchronized void accept(ClusterSnapshot snapshot) {
    for (var it = hosts.iterator(); it.hasNext(); ) {
      String host = it.next();
      if (snapshot.host(host) == null) {
        MBeans.unregister(server, ObjectNames.clusterHost(host));
        it.remove();
      }
    }
    for (String host : snapshot.hosts().keySet()) {
      if (hosts.add(host)) {
        try {
          server.registerMBean(
              DescribedMXBean.of(
                  new ClusterHostView(host, inventory::snapshot), ClusterHostMXBean.class),
              ObjectNames.clusterHost(host));
        } catch (JMException e) {
          hosts.remove(host);
          log.error("cannot register the detailed view of host {}", LogText.escape(host), e);
        }
      }
    }
  }

  @Override
  public synchronized void close() {
    for (String host : hosts) {
      MBeans.unregister(server, ObjectNames.clusterHost(host));
    }
    hosts.clear();
    MBeans.unregister(server, ObjectNames.rules());
    MBeans.unregister(server, ObjectNames.enrolment());
    MBeans.unregister(server, ObjectNames.operations());
    MBeans.unregister(server, ObjectNames.cluster());
  }
}
