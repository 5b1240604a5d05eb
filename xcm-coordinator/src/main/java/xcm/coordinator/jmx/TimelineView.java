package xcm.coordinator.jmx;

import java.time.Duration;
import javax.management.JMException;
import javax.management.MBeanServer;
import xcm.coordinator.timeline.DomainTimeline;
import xcm.mbeans.DescribedMXBean;
import xcm.mbeans.ObjectNames;
import xcm.mbeans.TimelineHistory;
import xcm.mbeans.TimelineMXBean;
import xcm.serve.MBeans;

/** {@code xcm:type=Timeline}: domains per host over the recent past. */
public final class TimelineView implements TimelineMXBean {
  private final DomainTimeline timeline;
  private final Duration interval;

  private TimelineView(DomainTimeline timeline, Duration interval) {
    this.timeline = timeline;
    this.interval = interval;
  }

  public static AutoCloseable register(
      MBeanServer server, DomainTimeline timeline, Duration collectInterval) throws JMException {
    server.registerMBean(
        DescribedMXBean.of(new TimelineView(timeline, collectInterval), TimelineMXBean.class),
        ObjectNames.timeline());
    return () -> MBeans.unregister(server, ObjectNames.timeline());
  }

  @Override
  public TimelineHistory getHistory() {
    return timeline.history();
  }

  @Override
  public long getLastChangeEpochMillis() {
    return timeline.lastChangeEpochMillis();
  }

  @Override
  public long getRetentionSeconds() {
    return timeline.retention().toSeconds();
  }

  @Override
  public int getMaxChanges() {
    return timeline.maxChanges();
  }

  @Override
  public double getCollectIntervalSeconds() {
    return interval.toMillis() / 1000.0;
  }
}
