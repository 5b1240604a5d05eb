package xcm.coordinator.schedule;

import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;
import xcm.coordinator.inventory.Inventory;
import xcm.coordinator.operation.OperationRegistry;

/**
 * Quartz adapter: this coordinator's own housekeeping, active or standby — hosts dead for longer
 * than the configured time leave its views, ended operations past their retention are forgotten.
 */
@DisallowConcurrentExecution
final class HousekeepingJob implements Job {
  private final Inventory inventory;
  private final OperationRegistry operations;

  HousekeepingJob(Inventory inventory, OperationRegistry operations) {
    this.inventory = inventory;
    this.operations = operations;
  }

  @Override
  public void execute(JobExecutionContext context) {
    inventory.purgeDead();
    operations.expire();
  }
}
