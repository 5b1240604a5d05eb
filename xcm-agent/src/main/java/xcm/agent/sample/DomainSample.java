package xcm.agent.sample;

import xcm.agent.libvirt.DomainStats;

/**
 * One domain in a {@link HostSample}: libvirt's figures plus the CPU utilisation derived from the
 * previous sample. {@code epochMillis} is when the figures were read; it lags the host sample's
 * time when this domain could not be read in the latest round and its last good reading is kept.
 */
public record DomainSample(DomainStats stats, double cpuUtilisation, long epochMillis) {

  public String name() {
    return stats.name();
  }

  public String uuid() {
    return stats.uuid();
  }
}
