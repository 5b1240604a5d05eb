package xcm.agent.libvirt;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.libvirt.Connect;
import org.libvirt.Domain;
import org.libvirt.DomainJobStats;
import org.libvirt.LibvirtException;
import org.libvirt.TypedIntParameter;
import org.libvirt.TypedLongParameter;
import org.libvirt.TypedParameter;
import org.libvirt.TypedStringParameter;
import org.libvirt.TypedUintParameter;
import org.libvirt.TypedUlongParameter;
import xcm.mbeans.DomainState;
import xcm.mbeans.MigrationJob;

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
  /** virDomainJobType: what virDomainGetJobStats says about the job. */
  private static final int JOB_NONE = 0;

  /** virDomainJobOperation, by value, as virsh domjobinfo names them. */
  private static final String[] JOB_OPERATIONS = {
    "unknown",
    "start",
    "save",
    "restore",
    "incoming migration",
    "outgoing migration",
    "snapshot",
    "snapshot revert",
    "dump",
    "backup",
    "snapshot delete"
  };

  private static final int LIVE_MIGRATION =
      Domain.MigrateFlags.LIVE
          | Domain.MigrateFlags.PEER2PEER
          | Domain.MigrateFlags.PERSIST_DEST
          | Domain.MigrateFlags.UNDEFINE_SOURCE;

  private final LibvirtConnection connection;
  private final HostReader reader;
  private final DomainLifecycle lifecycle;
  private final boolean migratesLive;

  private LibvirtHypervisor(LibvirtConnection connection) {
    this.connection = connection;
    this.reader = new HostReader(connection);
    this.lifecycle = new DomainLifecycle(connection);
    this.migratesLive = driverType(connection.current()).equals("QEMU");
  }

  /** virConnectGetType: "QEMU", "TEST", ...; empty when the connection cannot tell. */
  private static String driverType(Connect connection) {
    try {
      return connection.getType().toUpperCase(Locale.ROOT);
    } catch (LibvirtException e) {
      return "";
    }
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
  public boolean canMigrateLive() {
    return migratesLive;
  }

  @Override
  public void migrateLive(String name, LiveMigrationTarget target) throws HypervisorException {
    if (!migratesLive) {
      throw new HypervisorException(
          connection.uri()
              + ": cannot live-migrate domain '"
              + name
              + "': libvirt's driver here cannot migrate",
          null);
    }
    List<TypedParameter> params = new ArrayList<>();
    // The domain keeps its name; also, libvirt-java cannot pass an empty parameter list.
    params.add(
        new TypedStringParameter(Domain.DomainMigrateParameters.VIR_MIGRATE_PARAM_DEST_NAME, name));
    if (!target.migrationAddress().isEmpty()) {
      params.add(
          new TypedStringParameter(
              Domain.DomainMigrateParameters.VIR_MIGRATE_PARAM_URI, target.migrationAddress()));
    }
    if (target.bandwidthMiBps() > 0) {
      params.add(
          new TypedUlongParameter(
              Domain.DomainMigrateParameters.VIR_MIGRATE_PARAM_BANDWIDTH, target.bandwidthMiBps()));
    }
    connection.onDomain(
        name,
        "live-migrate",
        domain ->
            domain.migrateToURI(
                target.libvirtUri(), params.toArray(new TypedParameter[0]), LIVE_MIGRATION));
  }

  @Override
  public Optional<MigrationJob> runningJob(String name) throws HypervisorException {
    return connection.onDomain(name, "read the job of", domain -> job(name, domain.getJobStats(0)));
  }

  @Override
  public Optional<MigrationJob> completedJob(String name) throws HypervisorException {
    int flags =
        Domain.DomainGetJobStatsFlags.COMPLETED | Domain.DomainGetJobStatsFlags.KEEP_COMPLETED;
    return connection.onDomain(
        name, "read the completed job of", domain -> job(name, domain.getJobStats(flags)));
  }

  private static Optional<MigrationJob> job(String name, DomainJobStats stats) {
    if (stats == null || stats.type == JOB_NONE || stats.stats == null) {
      return Optional.empty();
    }
    long operation = number(stats.stats, "operation");
    return Optional.of(
        new MigrationJob(
            name,
            operation >= 0 && operation < JOB_OPERATIONS.length
                ? JOB_OPERATIONS[(int) operation]
                : "unknown",
            number(stats.stats, "time_elapsed"),
            number(stats.stats, "downtime"),
            number(stats.stats, "data_processed"),
            number(stats.stats, "memory_total")));
  }

  /** A numeric typed parameter's value; -1 when libvirt did not give it. */
  private static long number(TypedParameter[] params, String field) {
    for (TypedParameter param : params) {
      if (!field.equals(param.field)) {
        continue;
      }
      if (param instanceof TypedUlongParameter p) {
        return p.value;
      }
      if (param instanceof TypedLongParameter p) {
        return p.value;
      }
      if (param instanceof TypedIntParameter p) {
        return p.value;
      }
      if (param instanceof TypedUintParameter p) {
        return Integer.toUnsignedLong(p.value);
      }
    }
    return -1;
  }

  @Override
  public void abortJob(String name) throws HypervisorException {
    connection.onDomain(name, "abort the job of", Domain::abortJob);
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
