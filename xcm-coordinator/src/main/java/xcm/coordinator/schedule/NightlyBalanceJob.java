package xcm.coordinator.schedule;

import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import xcm.coordinator.operation.OperationService;
import xcm.coordinator.operation.Requester;
import xcm.serve.LogText;

/**
 * Quartz adapter: the nightly rebalance. Skipped, with a log line, when a drain or another balance
 * is running; the refusal is in the audit log too.
 */
@DisallowConcurrentExecution
final class NightlyBalanceJob implements Job {
  private static final Logger log = LoggerFactory.getLogger(NightlyBalanceJob.class);

  private final OperationService operations;
  private final String policy;

  NightlyBalanceJob(OperationService operations, String policy) {
    this.operations = operations;
    this.policy = policy;
  }

  @Override
  public void execute(JobExecutionContext context) {
    try {
      String id = operations.balance(policy, false, Requester.schedule("nightly-balance"));
      log.info("nightly balance ({}) started as operation {}", policy, id);
    } catch (IllegalArgumentException | IllegalStateException e) {
      log.info("nightly balance skipped: {}", LogText.escape(e.getMessage()));
    }
  }
}
