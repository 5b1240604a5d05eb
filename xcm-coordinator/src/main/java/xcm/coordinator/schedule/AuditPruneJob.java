package xcm.coordinator.schedule;

import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import xcm.coordinator.journal.JournalException;
import xcm.coordinator.operation.AuditLog;
import xcm.coordinator.operation.AuditRetention;

/** Quartz adapter: deletes the audit entries the retention no longer keeps. */
@DisallowConcurrentExecution
final class AuditPruneJob implements Job {
  private static final Logger log = LoggerFactory.getLogger(AuditPruneJob.class);

  private final AuditLog audit;
  private final AuditRetention retention;

  AuditPruneJob(AuditLog audit, AuditRetention retention) {
    this.audit = audit;
    this.retention = retention;
  }

  @Override
  public void execute(JobExecutionContext context) {
    try {
      audit.prune(retention);
    } catch (JournalException e) {
      log.error("pruning the audit log failed; trying again next time: {}", e.getMessage());
    }
  }
}
