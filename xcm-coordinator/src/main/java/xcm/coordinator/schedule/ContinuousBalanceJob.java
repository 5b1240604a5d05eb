package xcm.coordinator.schedule;

import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import xcm.coordinator.balancing.ContinuousBalancing;
import xcm.coordinator.balancing.RoundDecision;
import xcm.coordinator.balancing.RoundResult;
import xcm.serve.LogText;

/**
 * Quartz adapter: one round of continuous balancing. The round itself is audited; a round that
 * fails is logged here and the next one tries again.
 */
@DisallowConcurrentExecution
final class ContinuousBalanceJob implements Job {
  private static final Logger log = LoggerFactory.getLogger(ContinuousBalanceJob.class);

  private final ContinuousBalancing balancing;

  ContinuousBalanceJob(ContinuousBalancing balancing) {
    this.balancing = balancing;
  }

  @Override
  public void execute(JobExecutionContext context) {
    try {
      RoundDecision decision = balancing.round();
      if (decision.result() == RoundResult.MOVED) {
        log.info("continuous balance: {}", LogText.escape(decision.reason()));
      }
    } catch (RuntimeException e) {
      log.error(
          "continuous balance round failed: {}", LogText.escape(String.valueOf(e.getMessage())), e);
    }
  }
}
