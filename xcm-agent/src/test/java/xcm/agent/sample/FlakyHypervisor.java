package xcm.agent.sample;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import xcm.agent.libvirt.DomainReadFailure;
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
 * A real hypervisor whose connection or single domains can be made to fail on demand, for the
 * failure paths of the sampler that libvirt's test driver cannot produce.
 */
final class FlakyHypervisor implements Hypervisor {
  private final Hypervisor real;
  private volatile boolean lost;
  private volatile String failingDomain;
  final AtomicInteger reconnectAttempts = new AtomicInteger();

  FlakyHypervisor(Hypervisor real) {
    this.real = real;
  }

  void loseConnection() {
    lost = true;
  }

  void restoreConnection() {
    lost = false;
  }

  void failDomain(String name) {
    failingDomain = name;
  }

  private void check() throws HypervisorUnavailableException {
    if (lost) {
      throw new HypervisorUnavailableException(uri() + ": connection lost (injected)", null);
    }
  }

  @Override
  public String uri() {
    return real.uri();
  }

  @Override
  public String hostName() throws HypervisorException {
    check();
    return real.hostName();
  }

  @Override
  public UUID hostUuid() throws HypervisorException {
    check();
    return real.hostUuid();
  }

  @Override
  public NodeCapacity capacity() throws HypervisorException {
    check();
    return real.capacity();
  }

  @Override
  public List<DomainReading> readDomains() throws HypervisorException {
    check();
    List<DomainReading> readings = new ArrayList<>();
    for (DomainReading reading : real.readDomains()) {
      readings.add(
          reading.name().equals(failingDomain)
              ? new DomainReadFailure(reading.name(), reading.uuid(), "injected failure")
              : reading);
    }
    return readings;
  }

  @Override
  public boolean isAlive() {
    return !lost && real.isAlive();
  }

  @Override
  public void reconnect() throws HypervisorUnavailableException {
    reconnectAttempts.incrementAndGet();
    check();
  }

  @Override
  public String defineDomain(String xml) throws HypervisorException {
    check();
    return real.defineDomain(xml);
  }

  @Override
  public void startDomain(String name) throws HypervisorException {
    check();
    real.startDomain(name);
  }

  @Override
  public void destroyDomain(String name) throws HypervisorException {
    check();
    real.destroyDomain(name);
  }

  @Override
  public void undefineDomain(String name) throws HypervisorException {
    check();
    real.undefineDomain(name);
  }

  @Override
  public boolean startDomainPaused(String name) throws HypervisorException {
    check();
    return real.startDomainPaused(name);
  }

  @Override
  public void suspendDomain(String name) throws HypervisorException {
    check();
    real.suspendDomain(name);
  }

  @Override
  public void resumeDomain(String name) throws HypervisorException {
    check();
    real.resumeDomain(name);
  }

  @Override
  public DomainState domainState(String name) throws HypervisorException {
    check();
    return real.domainState(name);
  }

  @Override
  public String domainDefinition(String name) throws HypervisorException {
    check();
    return real.domainDefinition(name);
  }

  @Override
  public String domainXml(String name) throws HypervisorException {
    check();
    return real.domainXml(name);
  }

  @Override
  public void setPlacement(String name, PlacementRules rules) throws HypervisorException {
    check();
    real.setPlacement(name, rules);
  }

  @Override
  public boolean canMigrateLive() {
    return real.canMigrateLive();
  }

  @Override
  public void migrateLive(String name, LiveMigrationTarget target) throws HypervisorException {
    check();
    real.migrateLive(name, target);
  }

  @Override
  public Optional<MigrationJob> runningJob(String name) throws HypervisorException {
    check();
    return real.runningJob(name);
  }

  @Override
  public Optional<MigrationJob> completedJob(String name) throws HypervisorException {
    check();
    return real.completedJob(name);
  }

  @Override
  public void abortJob(String name) throws HypervisorException {
    check();
    real.abortJob(name);
  }

  @Override
  public void close() {
    real.close();
  }
}
