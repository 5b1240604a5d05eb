package xcm.coordinator.leader;

import javax.management.JMException;
import javax.management.MBeanServer;
import xcm.coordinator.journal.LeaseRows.Lease;
import xcm.mbeans.CoordinatorRole;
import xcm.mbeans.DescribedMXBean;
import xcm.mbeans.LeadershipMXBean;
import xcm.mbeans.ObjectNames;
import xcm.serve.MBeans;

/** {@code xcm:type=Leadership}: the lease as this coordinator last read it. */
public final class LeadershipView implements LeadershipMXBean {
  private final Leadership leadership;

  private LeadershipView(Leadership leadership) {
    this.leadership = leadership;
  }

  /** Registers the view; closing the result unregisters it. */
  public static AutoCloseable register(MBeanServer server, Leadership leadership)
      throws JMException {
    server.registerMBean(
        DescribedMXBean.of(new LeadershipView(leadership), LeadershipMXBean.class),
        ObjectNames.leadership());
    return () -> MBeans.unregister(server, ObjectNames.leadership());
  }

  @Override
  public String getName() {
    return leadership.name();
  }

  @Override
  public CoordinatorRole getRole() {
    return leadership.role();
  }

  @Override
  public boolean isActing() {
    return leadership.active();
  }

  @Override
  public long getEpoch() {
    return leadership.seen().epoch();
  }

  @Override
  public String getActiveCoordinator() {
    Lease lease = leadership.seen();
    return lease.held() ? lease.name() : "";
  }

  @Override
  public String getActiveCoordinatorUrl() {
    Lease lease = leadership.seen();
    return lease.held() ? lease.url() : "";
  }

  @Override
  public long getLeaseRemainingMillis() {
    return leadership.seen().remaining().toMillis();
  }
}
