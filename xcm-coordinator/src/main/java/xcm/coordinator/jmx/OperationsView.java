package xcm.coordinator.jmx;

import xcm.coordinator.collect.ClusterCollector;
import xcm.mbeans.OperationsMXBean;

/** {@code xcm:type=Operations}: hosts joining and leaving; later issues add migrate and friends. */
final class OperationsView implements OperationsMXBean {
  private final ClusterCollector collector;

  OperationsView(ClusterCollector collector) {
    this.collector = collector;
  }

  @Override
  public String addHost(String url) {
    return collector.addHost(url);
  }

  @Override
  public void removeHost(String host) {
    collector.removeHost(host);
  }
}
