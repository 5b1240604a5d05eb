package xcm.coordinator.schedule;

import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import xcm.coordinator.operation.UnsettledMoves;

/** Quartz adapter: asks the agents again where each UNSETTLED move ended. */
@DisallowConcurrentExecution
final class SettleJob implements Job {
  private static final Logger log = LoggerFactory.getLogger(SettleJob.class);

  private final UnsettledMoves unsettled;

  SettleJob(UnsettledMoves unsettled) {
    this.unsettled = unsettled;
  }

  @Override
  public void execute(JobExecutionContext context) {
    try {
      unsettled.settle();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      log.error("settling the unsettled moves failed; trying again next time", e);
    }
  }
}
