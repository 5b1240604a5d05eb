package xcm.bench.fleet;

import java.util.UUID;
import xcm.mbeans.DefinitionDigest;
import xcm.mbeans.DomainMXBean;
import xcm.mbeans.DomainState;

/**
 * One domain of a simulated host, as its agent's {@code xcm:type=Domain} MBean shows it: the
 * agent's own {@link DomainMXBean} interface, so that what the fleet serves goes through the same
 * MXBean mapping and the same Jolokia serialiser as the real agent's answer. A running KVM guest of
 * 2 vCPUs and 4 GiB whose counters grow at every {@link #sample}.
 *
 * <p>Its definition is written on demand ({@link #definitionXml()}): 200,000 definitions of a few
 * kB each would be most of the fleet's heap; only their digests are kept.
 *
 * <p>Not thread-safe: a host's domains are sampled and read by the fleet's one thread serving that
 * host.
 */
final class SimulatedDomain implements DomainMXBean {
  static final long MEMORY_BYTES = 4L << 30;
  static final int VCPUS = 2;

  private final String name;
  private final String uuid;
  private final String host;
  private final int id;
  private final String mac;
  private final String digest;
  private final double load;

  private double cpuTimeSeconds;
  private double cpuUtilisation;
  private long blockRead;
  private long blockWrite;
  private long received;
  private long transmitted;
  private long sampled;

  /**
   * @param hostIndex keeps UUIDs and MACs of different hosts apart
   * @param index the domain's number on its host, from 1
   */
  SimulatedDomain(String host, int hostIndex, int index) {
    this.host = host;
    this.name = String.format("vm%02d-%s", index, host);
    this.uuid =
        new UUID(0x5eed000000004000L | ((long) hostIndex << 16), 0x8000000000000000L | index)
            .toString();
    this.id = index;
    this.mac =
        String.format(
            "52:54:%02x:%02x:%02x:%02x",
            (hostIndex >> 16) & 0xff, (hostIndex >> 8) & 0xff, hostIndex & 0xff, index & 0xff);
    this.digest = DefinitionDigest.of(definitionXml());
    // A steady load per domain, different between domains: 5 % to 65 % of its vCPUs.
    this.load = 0.05 + ((hostIndex * 31L + index * 17L) % 61) / 100.0;
  }

  /** What libvirt would have read at {@code epochMillis}, {@code seconds} after the last sample. */
  void sample(long epochMillis, double seconds) {
    cpuUtilisation = load;
    cpuTimeSeconds += load * VCPUS * seconds;
    blockRead += (long) (seconds * 2_000_000 * load);
    blockWrite += (long) (seconds * 1_000_000 * load);
    received += (long) (seconds * 5_000_000 * load);
    transmitted += (long) (seconds * 3_000_000 * load);
    sampled = epochMillis;
  }

  /**
   * The definition {@code HostOperations.domainDefinition} returns: a KVM guest's persistent
   * definition in migratable form as {@code virsh dumpxml --inactive --migratable} writes it for a
   * typical server VM, so that the coordinator keeps definitions of a realistic size.
   */
  String definitionXml() {
    return DomainXml.of(name, uuid, MEMORY_BYTES >> 10, VCPUS, mac);
  }

  @Override
  public String getName() {
    return name;
  }

  @Override
  public String getUuid() {
    return uuid;
  }

  @Override
  public String getHost() {
    return host;
  }

  @Override
  public String getState() {
    return DomainState.RUNNING.name();
  }

  @Override
  public int getStateCode() {
    return 1;
  }

  @Override
  public int getId() {
    return id;
  }

  @Override
  public boolean isPersistent() {
    return true;
  }

  @Override
  public long getMemoryBytes() {
    return MEMORY_BYTES;
  }

  @Override
  public long getMaxMemoryBytes() {
    return MEMORY_BYTES;
  }

  @Override
  public int getVcpus() {
    return VCPUS;
  }

  @Override
  public double getCpuTimeSeconds() {
    return cpuTimeSeconds;
  }

  @Override
  public double getCpuUtilisation() {
    return cpuUtilisation;
  }

  @Override
  public long getBlockReadBytes() {
    return blockRead;
  }

  @Override
  public long getBlockWriteBytes() {
    return blockWrite;
  }

  @Override
  public long getBlockReadRequests() {
    return blockRead / 4096;
  }

  @Override
  public long getBlockWriteRequests() {
    return blockWrite / 4096;
  }

  @Override
  public long getNetworkReceiveBytes() {
    return received;
  }

  @Override
  public long getNetworkTransmitBytes() {
    return transmitted;
  }

  @Override
  public long getNetworkReceivePackets() {
    return received / 1200;
  }

  @Override
  public long getNetworkTransmitPackets() {
    return transmitted / 1200;
  }

  @Override
  public long getSampleEpochMillis() {
    return sampled;
  }

  @Override
  public String getPlacement() {
    return "";
  }

  @Override
  public String getPlacementError() {
    return "";
  }

  @Override
  public String getDefinitionDigest() {
    return digest;
  }

  @Override
  public boolean isAutostart() {
    return false;
  }
}
