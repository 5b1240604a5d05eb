package xcm.coordinator.schedule;

import java.util.function.BooleanSupplier;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import xcm.coordinator.inventory.Inventory;
import xcm.coordinator.operation.OperationRegistry;
import xcm.coordinator.operation.UnsettledMoves;

/**
 * Quartz adapter: the dead-host collector, forgetting operations that ended longer than the
 * retention ago, and settling the moves the journal holds as UNSETTLED.
 */
@DisallowConcurrentExecution
final class HousekeepingJob implements Job {
  private static final Logger log = LoggerFactory.getLogger(HousekeepingJob.class);

  private final Inventory inventory;
  private final OperationRegistry operations;
  private final UnsettledMoves unsettled;
  private final BooleanSupplier acting;

  HousekeepingJob(
      Inventory inventory,
      OperationRegistry operations,
      UnsettledMoves unsettled,
      BooleanSupplier acting) {
    this.inventory = inventory;
    this.operations = operations;
    this.unsettled = unsettled;
    this.acting = acting;
  }

  @Override
  public void execute(JobExecutionContext context) {
    inventory.purgeDead();
    operations.expire();
    if (!acting.getAsBoolean()) {
      return;
    }
    try {
      unsettled.settle();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      log.error("settling the unsettled moves failed; trying again next time", e);
    }
  }
}
