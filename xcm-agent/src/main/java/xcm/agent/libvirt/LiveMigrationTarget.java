package xcm.agent.libvirt;

/**
 * Where and how {@link Hypervisor#migrateLive} sends a domain.
 *
 * @param libvirtUri the destination's libvirt URI, which this host's libvirtd connects to (peer to
 *     peer), e.g. {@code qemu+tls://10.0.0.6/system}
 * @param migrationAddress where QEMU sends the migration data, e.g. {@code tcp://10.0.0.6} (the
 *     destination picks the port); empty to let libvirt choose (the destination's host name)
 * @param bandwidthMiBps a cap on the migration's bandwidth, MiB/s; 0 for none
 */
public record LiveMigrationTarget(String libvirtUri, String migrationAddress, long bandwidthMiBps) {

  public LiveMigrationTarget {
    if (libvirtUri == null || libvirtUri.isBlank()) {
      throw new IllegalArgumentException("a live migration needs the destination's libvirt URI");
    }
    migrationAddress = migrationAddress == null ? "" : migrationAddress;
    if (bandwidthMiBps < 0) {
      throw new IllegalArgumentException(
          "bandwidth must be 0 (none) or more, found " + bandwidthMiBps);
    }
  }
}
