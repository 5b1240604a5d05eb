package xcm.coordinator.schedule;

import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;
import xcm.coordinator.inventory.Inventory;

/** Quartz adapter: the dead-host collector. */
@DisallowConcurrentExecution
final class DeadHostJob implements Job {
  private final Inventory inventory;

  DeadHostJob(Inventory inventory) {
    this.inventory = inventory;
  }

  @Override
  public void execute(JobExecutionContext context) {
    inventory.purgeDead();
  }
}
