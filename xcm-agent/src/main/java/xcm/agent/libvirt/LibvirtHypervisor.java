package xcm.agent.libvirt;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import xcm.mbeans.DomainState;
import xcm.mbeans.MigrationJob;
import xcm.mbeans.placement.PlacementRules;

/**
 * {@link Hypervisor} over libvirt-java, on any libvirt URI: {@code test:///abs/path/node.xml} (the
 * built-in test driver, in-process), {@code qemu:///system}, {@code
 * qemu+unix:///system?socket=...}.
 *
 * <pre>{@code
 * try (Hypervisor hv = LibvirtHypervisor.open("test:///etc/xcm/dmz01.xml")) {
 *   hv.readDomains().forEach(System.out::println);
 * }
 * }</pre>
 *
 * <p>Thread-safe: libvirt connections are, and the connection is swapped atomically on {@link
 * #reconnect()}.
 */
public final class LibvirtHypervisor implements Hypervisor {
  private final LibvirtConnection connection;
  private final HostReader reader;
  private final DomainLifecycle lifecycle;
  private final DomainPlacement placement;
  private final LiveMigrator migrator;

  private LibvirtHypervisor(LibvirtConnection connection) {
    this.connection = connection;
    this.reader = new HostReader(connection);
    this.lifecycle = new DomainLifecycle(connection);
    this.placement = new DomainPlacement(connection);
    this.migrator = new LiveMigrator(connection);
  }

  /**
   * Opens a read-write connection.
   *
   * @throws HypervisorUnavailableException naming the URI and libvirt's message when it cannot
   */
  public static LibvirtHypervisor open(String uri) throws HypervisorUnavailableException {
    return new LibvirtHypervisor(LibvirtConnection.open(uri));
  }

  @Override
  public String uri() {
    return connection.uri();
  }

  @Override
  public String hostName() throws HypervisorException {
    return reader.hostName();
  }

  @Override
  public UUID hostUuid() throws HypervisorException {
    return reader.hostUuid();
  }

  @Override
  public NodeCapacity capacity() throws HypervisorException {
    return reader.capacity();
  }

  @Override
  public List<DomainReading> readDomains() throws HypervisorException {
    return reader.readDomains();
  }

  @Override
  public boolean isAlive() {
    return connection.isAlive();
  }

  @Override
  public void reconnect() throws HypervisorUnavailableException {
    connection.reconnect();
  }

  @Override
  public String defineDomain(String xml) throws HypervisorException {
    return lifecycle.defineDomain(xml);
  }

  @Override
  public void startDomain(String name) throws HypervisorException {
    lifecycle.startDomain(name);
  }

  @Override
  public void destroyDomain(String name) throws HypervisorException {
    lifecycle.destroyDomain(name);
  }

  @Override
  public void undefineDomain(String name) throws HypervisorException {
    lifecycle.undefineDomain(name);
  }

  @Override
  public boolean startDomainPaused(String name) throws HypervisorException {
    return lifecycle.startDomainPaused(name);
  }

  @Override
  public void suspendDomain(String name) throws HypervisorException {
    lifecycle.suspendDomain(name);
  }

  @Override
  public void resumeDomain(String name) throws HypervisorException {
    lifecycle.resumeDomain(name);
  }

  @Override
  public DomainState domainState(String name) throws HypervisorException {
    return reader.domainState(name);
  }

  @Override
  public String domainXml(String name) throws HypervisorException {
    return reader.domainXml(name);
  }

  @Override
  public String domainDefinition(String name) throws HypervisorException {
    return reader.domainDefinition(name);
  }

  @Override
  public void setPlacement(String name, PlacementRules rules) throws HypervisorException {
    placement.setPlacement(name, rules);
  }

  @Override
  public boolean canMigrateLive() {
    return migrator.canMigrateLive();
  }

  @Override
  public void migrateLive(String name, LiveMigrationTarget target) throws HypervisorException {
    migrator.migrateLive(name, target);
  }

  @Override
  public Optional<MigrationJob> runningJob(String name) throws HypervisorException {
    return migrator.runningJob(name);
  }

  @Override
  public Optional<MigrationJob> completedJob(String name) throws HypervisorException {
    return migrator.completedJob(name);
  }

  @Override
  public void abortJob(String name) throws HypervisorException {
    migrator.abortJob(name);
  }

  @Override
  public void close() {
    connection.close();
  }

  @Override
  public String toString() {
    return "LibvirtHypervisor[" + connection.uri() + "]";
  }
}
