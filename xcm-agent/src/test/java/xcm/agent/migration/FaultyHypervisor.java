package xcm.agent.migration;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import xcm.agent.libvirt.DomainReading;
import xcm.agent.libvirt.Hypervisor;
import xcm.agent.libvirt.HypervisorException;
import xcm.agent.libvirt.HypervisorUnavailableException;
import xcm.agent.libvirt.LiveMigrationTarget;
import xcm.agent.libvirt.NodeCapacity;
import xcm.mbeans.DomainState;
import xcm.mbeans.MigrationJob;
import xcm.mbeans.placement.PlacementRules;

/**
 * A real hypervisor whose suspend, destroy or undefine can be made to fail, whose start-paused or
 * start can be made to lose libvirt's connection, and whose suspend can be held up, for the
 * failures of a migration that libvirt's test driver cannot produce. Public for the test kit's
 * hand-over tests.
 */
public final class FaultyHypervisor implements Hypervisor {
  private final Hypervisor real;
  private final Set<String> failing = ConcurrentHashMap.newKeySet();
  private final Set<String> losing = ConcurrentHashMap.newKeySet();
  private volatile Runnable afterSuspend = () -> {};
  private volatile LiveMigrator live;

  /** What a live migration does, for a driver that cannot migrate (libvirt's test driver). */
  interface LiveMigrator {
    void migrate(String domain, LiveMigrationTarget target) throws HypervisorException;
  }

  /**
   * Makes this hypervisor one that migrates live: {@code migrateLive} runs {@code migrator}, and
   * {@code abortJob} interrupts the thread running it.
   */
  void migratesLive(LiveMigrator migrator) {
    live = migrator;
  }

  private volatile Thread migrating;

  public FaultyHypervisor(Hypervisor real) {
    this.real = real;
  }

  /** Makes "suspend", "destroy" or "undefine" fail from now on. */
  public void fail(String operation) {
    failing.add(operation);
  }

  /**
   * Makes "start" or "start-paused" lose libvirt's connection from now on, after libvirt carried
   * the call out: the caller cannot tell whether it took effect.
   */
  void loseConnectionAfter(String operation) {
    losing.add(operation);
  }

  private void lost(String operation, String name) throws HypervisorUnavailableException {
    if (losing.contains(operation)) {
      throw new HypervisorUnavailableException(
          uri() + ": cannot " + operation + " domain '" + name + "': connection lost", null);
    }
  }

  /** Runs after every successful suspend, on the migration's thread (e.g. to hold it there). */
  public void afterSuspend(Runnable hook) {
    afterSuspend = hook;
  }

  private void check(String operation, String name) throws HypervisorException {
    if (failing.contains(operation)) {
      throw new HypervisorException(
          uri() + ": cannot " + operation + " domain '" + name + "': injected failure");
    }
  }

  @Override
  public String uri() {
    return real.uri();
  }

  @Override
  public String hostName() throws HypervisorException {
    return real.hostName();
  }

  @Override
  public UUID hostUuid() throws HypervisorException {
    return real.hostUuid();
  }

  @Override
  public NodeCapacity capacity() throws HypervisorException {
    return real.capacity();
  }

  @Override
  public List<DomainReading> readDomains() throws HypervisorException {
    return real.readDomains();
  }

  @Override
  public boolean isAlive() {
    return real.isAlive();
  }

  @Override
  public void reconnect() throws HypervisorUnavailableException {
    real.reconnect();
  }

  @Override
  public String defineDomain(String xml) throws HypervisorException {
    return real.defineDomain(xml);
  }

  @Override
  public void startDomain(String name) throws HypervisorException {
    real.startDomain(name);
    lost("start", name);
  }

  @Override
  public boolean startDomainPaused(String name) throws HypervisorException {
    boolean paused = real.startDomainPaused(name);
    lost("start-paused", name);
    return paused;
  }

  @Override
  public void suspendDomain(String name) throws HypervisorException {
    check("suspend", name);
    real.suspendDomain(name);
    afterSuspend.run();
  }

  @Override
  public void resumeDomain(String name) throws HypervisorException {
    real.resumeDomain(name);
  }

  @Override
  public DomainState domainState(String name) throws HypervisorException {
    return real.domainState(name);
  }

  @Override
  public void destroyDomain(String name) throws HypervisorException {
    check("destroy", name);
    real.destroyDomain(name);
  }

  @Override
  public void undefineDomain(String name) throws HypervisorException {
    check("undefine", name);
    real.undefineDomain(name);
  }

  @Override
  public String domainDefinition(String name) throws HypervisorException {
    return real.domainDefinition(name);
  }

  @Override
  public String domainXml(String name) throws HypervisorException {
    return real.domainXml(name);
  }

  @Override
  public void setPlacement(String name, PlacementRules rules) throws HypervisorException {
    real.setPlacement(name, rules);
  }

  @Override
  public boolean canMigrateLive() {
    return live != null || real.canMigrateLive();
  }

  @Override
  public void migrateLive(String name, LiveMigrationTarget target) throws HypervisorException {
    if (live == null) {
      real.migrateLive(name, target);
      return;
    }
    migrating = Thread.currentThread();
    try {
      live.migrate(name, target);
    } finally {
      migrating = null;
      Thread.interrupted();
    }
  }

  @Override
  public Optional<MigrationJob> runningJob(String name) throws HypervisorException {
    return real.runningJob(name);
  }

  @Override
  public Optional<MigrationJob> completedJob(String name) throws HypervisorException {
    return real.completedJob(name);
  }

  @Override
  public void abortJob(String name) throws HypervisorException {
    Thread thread = migrating;
    if (live == null || thread == null) {
      real.abortJob(name);
      return;
    }
    thread.interrupt();
  }

  @Override
  public void close() {
    real.close();
  }
}
