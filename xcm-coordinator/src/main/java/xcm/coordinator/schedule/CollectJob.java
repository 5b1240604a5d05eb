package xcm.coordinator.schedule;

import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;
import xcm.coordinator.collect.ClusterCollector;

/** Quartz adapter: one collection round. A round never overlaps the previous one. */
@DisallowConcurrentExecution
final class CollectJob implements Job {
  private final ClusterCollector collector;

  CollectJob(ClusterCollector collector) {
    this.collector = collector;
  }

  @Override
  public void execute(JobExecutionContext context) {
    collector.collect();
  }
}
