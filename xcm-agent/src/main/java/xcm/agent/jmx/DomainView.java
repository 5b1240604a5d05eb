package xcm.agent.jmx;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import xcm.agent.libvirt.DomainStats;
import xcm.agent.sample.DomainSample;
import xcm.mbeans.DomainMXBean;
import xcm.mbeans.placement.PlacementXml;
import xcm.mbeans.placement.RulesFormatException;
import xcm.serve.LogText;

/**
 * {@code xcm:type=Domain,name=...}: one domain's latest sample, swapped in by {@link
 * MBeanPublisher} after every sample so that reads never search the host sample. Its placement
 * metadata is read once per change, not at every sample or read.
 *
 * <p>Thread-safe: {@link #update} runs on the sampler's thread, reads on any.
 */
final class DomainView implements DomainMXBean {
  private static final Logger log = LoggerFactory.getLogger(DomainView.class);

  private final String host;
  private volatile Current current;

  /** The sample and its rules, swapped together. */
  private record Current(DomainSample sample, Placement placement) {}

  /** What the sample's placement metadata says: rules in text form, or why it cannot be read. */
  private record Placement(String xml, String rules, String error) {
    static final Placement NONE = new Placement("", "", "");

    static Placement of(String xml) {
      if (xml.isEmpty()) {
        return NONE;
      }
      try {
        return new Placement(xml, PlacementXml.parse(xml).toString(), "");
      } catch (RulesFormatException e) {
        return new Placement(xml, "", e.getMessage());
      }
    }
  }

  DomainView(String host, DomainSample sample) {
    this.host = host;
    this.current = new Current(sample, placement(Placement.NONE, sample));
  }

  void update(DomainSample sample) {
    this.current = new Current(sample, placement(current.placement(), sample));
  }

  /** The sample's placement, read again only when its metadata changed; a new error logged once. */
  private Placement placement(Placement before, DomainSample sample) {
    String xml = sample.stats().placementXml();
    if (xml.equals(before.xml())) {
      return before;
    }
    Placement now = Placement.of(xml);
    if (!now.error().isEmpty() && !now.error().equals(before.error())) {
      log.warn(
          "{}: domain '{}' counts as having no placement rules: {}",
          host,
          LogText.escape(sample.name()),
          LogText.escape(now.error()));
    }
    return now;
  }

  private DomainSample sample() {
    return current.sample();
  }

  private DomainStats stats() {
    return current.sample().stats();
  }

  @Override
  public String getName() {
    return stats().name();
  }

  @Override
  public String getUuid() {
    return stats().uuid();
  }

  @Override
  public String getHost() {
    return host;
  }

  @Override
  public String getState() {
    return stats().state().name();
  }

  @Override
  public int getStateCode() {
    return stats().state().code();
  }

  @Override
  public int getId() {
    return stats().id();
  }

  @Override
  public boolean isPersistent() {
    return stats().persistent();
  }

  @Override
  public long getMemoryBytes() {
    return stats().memoryBytes();
  }

  @Override
  public long getMaxMemoryBytes() {
    return stats().maxMemoryBytes();
  }

  @Override
  public int getVcpus() {
    return stats().vcpus();
  }

  @Override
  public double getCpuTimeSeconds() {
    return stats().cpuTimeNanos() / 1e9;
  }

  @Override
  public double getCpuUtilisation() {
    return sample().cpuUtilisation();
  }

  @Override
  public long getBlockReadBytes() {
    return stats().blockReadBytes();
  }

  @Override
  public long getBlockWriteBytes() {
    return stats().blockWriteBytes();
  }

  @Override
  public long getBlockReadRequests() {
    return stats().blockReadRequests();
  }

  @Override
  public long getBlockWriteRequests() {
    return stats().blockWriteRequests();
  }

  @Override
  public long getNetworkReceiveBytes() {
    return stats().networkReceiveBytes();
  }

  @Override
  public long getNetworkTransmitBytes() {
    return stats().networkTransmitBytes();
  }

  @Override
  public long getNetworkReceivePackets() {
    return stats().networkReceivePackets();
  }

  @Override
  public long getNetworkTransmitPackets() {
    return stats().networkTransmitPackets();
  }

  @Override
  public long getSampleEpochMillis() {
    return sample().epochMillis();
  }

  @Override
  public String getPlacement() {
    return current.placement().rules();
  }

  @Override
  public String getPlacementError() {
    return current.placement().error();
  }

  @Override
  public String getDefinitionDigest() {
    return stats().definitionDigest();
  }

  @Override
  public boolean isAutostart() {
    return stats().autostart();
  }
}
