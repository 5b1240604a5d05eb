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
import xcm.mbeans.MigrationJob;

/**
 * libvirt's own live migration, where the driver has one (QEMU): starting it, reading the domain's
 * running and completed jobs, aborting the running one.
 *
 * <p>Thread-safe: it keeps no state besides the connection and what the driver can do, fixed at
 * construction.
 */
final class LiveMigrator {

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
  private final boolean migratesLive;

  LiveMigrator(LibvirtConnection connection) {
    this.connection = connection;
    this.migratesLive = isQemu(connection.current());
  }

  /**
   * True on libvirt's QEMU driver. virConnectGetType is how libvirt tells its drivers apart, and it
   * answers with text: the driver's name ("QEMU", "TEST", ...), a constant in libvirt's source, not
   * a translated message. libvirt has no enumeration of drivers, and its query of what a driver
   * supports (virConnectSupportsFeature) takes feature numbers that are libvirt-internal and that
   * libvirt-java does not bind. The driver of a URI does not change, so this is read once; a
   * connection that cannot name its driver counts as one that cannot migrate.
   */
  private static boolean isQemu(Connect connection) {
    String type;
    try {
      type = connection.getType();
    } catch (LibvirtException e) {
      return false;
    }
    return type.toUpperCase(Locale.ROOT).equals("QEMU");
  }

  boolean canMigrateLive() {
    return migratesLive;
  }

  /** See {@link Hypervisor#migrateLive(String, LiveMigrationTarget)}. */
  void migrateLive(String name, LiveMigrationTarget target) throws HypervisorException {
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

  Optional<MigrationJob> runningJob(String name) throws HypervisorException {
    return connection.onDomain(name, "read the job of", domain -> job(name, domain.getJobStats(0)));
  }

  Optional<MigrationJob> completedJob(String name) throws HypervisorException {
    int flags =
        Domain.DomainGetJobStatsFlags.COMPLETED | Domain.DomainGetJobStatsFlags.KEEP_COMPLETED;
    return connection.onDomain(
        name, "read the completed job of", domain -> job(name, domain.getJobStats(flags)));
  }

  void abortJob(String name) throws HypervisorException {
    connection.onDomain(name, "abort the job of", Domain::abortJob);
  }

  /**
   * The job's statistics are typed parameters, which libvirt identifies by name only: "operation",
   * "time_elapsed", ... are its VIR_DOMAIN_JOB_* parameter names (libvirt-java has no constants for
   * them).
   */
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
}
