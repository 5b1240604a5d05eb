package xcm.coordinator.schedule;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.quartz.CronScheduleBuilder;
import org.quartz.Job;
import org.quartz.JobBuilder;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.TriggerBuilder;
import org.quartz.impl.StdSchedulerFactory;
import org.quartz.spi.JobFactory;
import xcm.coordinator.collect.ClusterCollector;
import xcm.coordinator.inventory.Inventory;
import xcm.coordinator.operation.AuditRetention;
import xcm.coordinator.operation.OperationService;
import xcm.coordinator.operation.UnsettledMoves;

/**
 * The coordinator's Quartz scheduler (RAMJobStore): the collect job every collection interval, the
 * housekeeping job (the dead-host collector, settling UNSETTLED moves), the audit log's pruning and
 * the nightly balance. Jobs get their services from this class's {@link JobFactory}, never from
 * statics. A standby collects (its views stay fresh) and purges dead hosts from them, but runs
 * nothing that acts: not the nightly balance, not the pruning, not the settling of moves.
 *
 * <pre>{@code
 * try (CoordinatorScheduler scheduler = CoordinatorScheduler.start(collector, inventory,
 *     Duration.ofSeconds(5), Duration.ofSeconds(30))) { ... }
 * }</pre>
 */
public final class CoordinatorScheduler implements AutoCloseable {
  static final JobKey COLLECT = JobKey.jobKey("collect", "xcm");
  static final JobKey HOUSEKEEPING = JobKey.jobKey("housekeeping", "xcm");
  static final JobKey NIGHTLY_BALANCE = JobKey.jobKey("nightly-balance", "xcm");
  static final JobKey AUDIT_PRUNE = JobKey.jobKey("audit-prune", "xcm");

  private final Scheduler scheduler;

  private CoordinatorScheduler(Scheduler scheduler) {
    this.scheduler = scheduler;
  }

  /**
   * Starts the scheduler; the first round runs at once.
   *
   * @param nightlyCron Quartz cron expression of the nightly rebalance, empty for none
   * @param acting true while this coordinator is the active one
   */
  public static CoordinatorScheduler start(
      ClusterCollector collector,
      Inventory inventory,
      OperationService operations,
      UnsettledMoves unsettled,
      Duration collectInterval,
      Duration housekeepingInterval,
      String nightlyCron,
      String nightlyPolicy,
      AuditRetention auditRetention,
      BooleanSupplier acting)
      throws SchedulerException {
    Properties properties = new Properties();
    // Quartz keeps schedulers in a JVM-wide repository by name: one name per coordinator.
    properties.setProperty(
        StdSchedulerFactory.PROP_SCHED_INSTANCE_NAME, "xcm-coordinator-" + UUID.randomUUID());
    properties.setProperty("org.quartz.threadPool.threadCount", "2");
    properties.setProperty("org.quartz.threadPool.threadNamePrefix", "xcm-quartz");
    properties.setProperty("org.quartz.jobStore.class", "org.quartz.simpl.RAMJobStore");
    // A round that starts late runs once, at once; missed rounds are not made up.
    properties.setProperty("org.quartz.jobStore.misfireThreshold", "1000");
    Scheduler scheduler = new StdSchedulerFactory(properties).getScheduler();
    Map<Class<? extends Job>, Supplier<Job>> jobs =
        Map.of(
            CollectJob.class, () -> new CollectJob(collector),
            HousekeepingJob.class,
                () -> new HousekeepingJob(inventory, operations.registry(), unsettled, acting),
            NightlyBalanceJob.class,
                () ->
                    acting.getAsBoolean()
                        ? new NightlyBalanceJob(operations, nightlyPolicy)
                        : context -> {},
            AuditPruneJob.class,
                () ->
                    acting.getAsBoolean()
                        ? new AuditPruneJob(operations.audit(), auditRetention)
                        : context -> {});
    scheduler.setJobFactory(
        (bundle, s) -> {
          Supplier<Job> job = jobs.get(bundle.getJobDetail().getJobClass());
          if (job == null) {
            throw new SchedulerException("no job " + bundle.getJobDetail().getJobClass());
          }
          return job.get();
        });
    every(scheduler, COLLECT, CollectJob.class, collectInterval);
    every(scheduler, HOUSEKEEPING, HousekeepingJob.class, housekeepingInterval);
    every(scheduler, AUDIT_PRUNE, AuditPruneJob.class, auditRetention.pruneInterval());
    if (!nightlyCron.isEmpty()) {
      scheduler.scheduleJob(
          JobBuilder.newJob(NightlyBalanceJob.class).withIdentity(NIGHTLY_BALANCE).build(),
          TriggerBuilder.newTrigger()
              .withIdentity(NIGHTLY_BALANCE.getName(), NIGHTLY_BALANCE.getGroup())
              // After downtime the missed night is not made up: one balance, at the next night.
              .withSchedule(
                  CronScheduleBuilder.cronSchedule(nightlyCron)
                      .withMisfireHandlingInstructionDoNothing())
              .build());
    }
    scheduler.start();
    return new CoordinatorScheduler(scheduler);
  }

  private static void every(
      Scheduler scheduler, JobKey key, Class<? extends Job> job, Duration interval)
      throws SchedulerException {
    scheduler.scheduleJob(
        JobBuilder.newJob(job).withIdentity(key).build(),
        TriggerBuilder.newTrigger()
            .withIdentity(key.getName(), key.getGroup())
            .startNow()
            .withSchedule(
                SimpleScheduleBuilder.simpleSchedule()
                    .withIntervalInMilliseconds(interval.toMillis())
                    .repeatForever()
                    .withMisfireHandlingInstructionNextWithRemainingCount())
            .build());
  }

  /** How long {@link #close()} waits for a job in flight (a collect round, a prune) to end. */
  static final Duration CLOSE_WAIT = Duration.ofSeconds(30);

  /**
   * Fires nothing more, lets a job in flight end (for at most {@link #CLOSE_WAIT}), then stops.
   * Quartz's own wait for its jobs ({@code shutdown(true)}) was seen to wait forever on a pool
   * whose workers had all ended, when the scheduler closed right after it started.
   */
  @Override
  public void close() throws SchedulerException {
    scheduler.standby();
    long deadline = System.nanoTime() + CLOSE_WAIT.toNanos();
    try {
      while (!scheduler.getCurrentlyExecutingJobs().isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      scheduler.shutdown(false);
    }
  }
}
