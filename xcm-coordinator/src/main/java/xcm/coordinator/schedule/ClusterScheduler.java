package xcm.coordinator.schedule;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.quartz.CronScheduleBuilder;
import org.quartz.Job;
import org.quartz.JobBuilder;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.TriggerBuilder;
import org.quartz.impl.StdSchedulerFactory;
import xcm.coordinator.balancing.ContinuousBalancing;
import xcm.coordinator.operation.AuditRetention;
import xcm.coordinator.operation.OperationService;
import xcm.coordinator.operation.UnsettledMoves;

/**
 * The jobs that act, run once across the coordinators: settling UNSETTLED moves, the audit log's
 * pruning, the nightly balance and the continuous balancer's rounds. On a PostgreSQL journal they
 * live in Quartz's JDBC job store in the journal's database, clustered: their triggers outlive a
 * coordinator, and a trigger fires on one coordinator only, even when a former active that was
 * paused wakes up beside the new one. On an H2 journal (one coordinator) they live in memory.
 * Nothing runs until {@link #start}, which the coordinator calls when it becomes the active one;
 * each job also runs only while it still is.
 *
 * <pre>{@code
 * ClusterScheduler jobs = ClusterScheduler.create(jobs, leadership::active, Optional.of(store));
 * leadership.onActive(epoch -> jobs.start());
 * }</pre>
 */
public final class ClusterScheduler implements AutoCloseable {
  static final JobKey SETTLE = JobKey.jobKey("settle-unsettled", "xcm");
  static final JobKey NIGHTLY_BALANCE = JobKey.jobKey("nightly-balance", "xcm");
  static final JobKey AUDIT_PRUNE = JobKey.jobKey("audit-prune", "xcm");
  static final JobKey CONTINUOUS_BALANCE = JobKey.jobKey("continuous-balance", "xcm");

  /** The Quartz scheduler name every coordinator of a cluster shares in the job store's rows. */
  static final String CLUSTER = "xcm";

  /**
   * What the jobs do and when.
   *
   * @param nightlyCron Quartz cron expression of the nightly rebalance, empty for none
   * @param balancing the continuous balancer, whose round runs every {@code balancingInterval} (and
   *     does nothing at level off)
   */
  public record Jobs(
      OperationService operations,
      UnsettledMoves unsettled,
      Duration settleInterval,
      String nightlyCron,
      String nightlyPolicy,
      AuditRetention auditRetention,
      ContinuousBalancing balancing,
      Duration balancingInterval) {}

  /**
   * The journal's PostgreSQL database, where the clustered job store's tables are.
   *
   * @param pausedWriteLimit how long the database lets a session of the job store sit idle in a
   *     transaction before it ends it: Quartz locks a row of its own for each trigger it fires, and
   *     an active paused (a GC, SIGSTOP) while holding it would hold up the next active's jobs
   */
  public record JdbcStore(
      String url, String user, String password, String coordinator, Duration pausedWriteLimit) {
    @Override
    public String toString() {
      return "JdbcStore[url=" + url + ", user=" + user + ", coordinator=" + coordinator + "]";
    }
  }

  private final Scheduler scheduler;
  private final Jobs jobs;
  private boolean started;

  private ClusterScheduler(Scheduler scheduler, Jobs jobs) {
    this.scheduler = scheduler;
    this.jobs = jobs;
  }

  /**
   * Makes the scheduler, started by {@link #start}.
   *
   * @param acting true while this coordinator is the active one
   * @param store the clustered job store, or empty for one in memory
   */
  public static ClusterScheduler create(
      Jobs jobs, BooleanSupplier acting, Optional<JdbcStore> store) throws SchedulerException {
    Properties properties = new Properties();
    if (store.isPresent()) {
      clustered(properties, store.get());
    } else {
      properties.setProperty(
          StdSchedulerFactory.PROP_SCHED_INSTANCE_NAME, "xcm-cluster-" + UUID.randomUUID());
      properties.setProperty("org.quartz.jobStore.class", "org.quartz.simpl.RAMJobStore");
    }
    Map<Class<? extends Job>, Supplier<Job>> made =
        Map.of(
            SettleJob.class, () -> new SettleJob(jobs.unsettled()),
            NightlyBalanceJob.class,
                () -> new NightlyBalanceJob(jobs.operations(), jobs.nightlyPolicy()),
            AuditPruneJob.class,
                () -> new AuditPruneJob(jobs.operations().audit(), jobs.auditRetention()),
            ContinuousBalanceJob.class, () -> new ContinuousBalanceJob(jobs.balancing()));
    return new ClusterScheduler(Schedules.create(properties, onlyWhile(acting, made)), jobs);
  }

  /** Each job, or one that does nothing when this coordinator no longer acts. */
  private static Map<Class<? extends Job>, Supplier<Job>> onlyWhile(
      BooleanSupplier acting, Map<Class<? extends Job>, Supplier<Job>> jobs) {
    Map<Class<? extends Job>, Supplier<Job>> gated = new java.util.HashMap<>();
    jobs.forEach(
        (type, job) -> gated.put(type, () -> acting.getAsBoolean() ? job.get() : context -> {}));
    return gated;
  }

  private static void clustered(Properties p, JdbcStore store) {
    p.setProperty(StdSchedulerFactory.PROP_SCHED_INSTANCE_NAME, CLUSTER);
    p.setProperty(
        StdSchedulerFactory.PROP_SCHED_INSTANCE_ID, store.coordinator() + "-" + UUID.randomUUID());
    p.setProperty("org.quartz.jobStore.class", "org.quartz.impl.jdbcjobstore.JobStoreTX");
    p.setProperty(
        "org.quartz.jobStore.driverDelegateClass",
        "org.quartz.impl.jdbcjobstore.PostgreSQLDelegate");
    // Job data kept as text, not Java serialization: the coordinator's JVM refuses to deserialize
    // anything (-Djdk.serialFilter=!* in conf/coordinator.jvm), which left every trigger read back
    // from the store in ERROR, and none of these jobs ran. Their data maps are empty or strings.
    p.setProperty("org.quartz.jobStore.useProperties", "true");
    p.setProperty("org.quartz.jobStore.isClustered", "true");
    p.setProperty("org.quartz.jobStore.clusterCheckinInterval", "5000");
    // Quartz keeps data sources in a JVM-wide registry by name: one name per coordinator.
    String source = "xcm-" + UUID.randomUUID();
    p.setProperty("org.quartz.jobStore.dataSource", source);
    String prefix = "org.quartz.dataSource." + source + ".";
    p.setProperty(prefix + "provider", "hikaricp");
    p.setProperty(prefix + "driver", "org.postgresql.Driver");
    p.setProperty(prefix + "URL", withIdleLimit(store.url(), store.pausedWriteLimit()));
    p.setProperty(prefix + "user", store.user());
    p.setProperty(prefix + "password", store.password());
    p.setProperty(prefix + "maxConnections", "3");
  }

  /**
   * The store's URL with a limit on idle transactions, set at connect time through PgJDBC's {@code
   * options} parameter: Quartz's pool has no statement to run on a new connection.
   */
  public static String withIdleLimit(String url, Duration limit) {
    return url
        + (url.contains("?") ? "&" : "?")
        + "options=-c%20idle_in_transaction_session_timeout%3D"
        + limit.toMillis();
  }

  /**
   * Schedules the jobs as this coordinator's configuration says (replacing what the job store held)
   * and starts firing them; once, when this coordinator becomes the active one.
   */
  public synchronized void start() throws SchedulerException {
    if (started) {
      return;
    }
    Schedules.every(scheduler, SETTLE, SettleJob.class, jobs.settleInterval());
    Schedules.every(
        scheduler, AUDIT_PRUNE, AuditPruneJob.class, jobs.auditRetention().pruneInterval());
    Schedules.every(
        scheduler, CONTINUOUS_BALANCE, ContinuousBalanceJob.class, jobs.balancingInterval());
    if (jobs.nightlyCron().isEmpty()) {
      scheduler.deleteJob(NIGHTLY_BALANCE);
    } else {
      scheduler.scheduleJob(
          JobBuilder.newJob(NightlyBalanceJob.class).withIdentity(NIGHTLY_BALANCE).build(),
          Set.of(
              TriggerBuilder.newTrigger()
                  .withIdentity(NIGHTLY_BALANCE.getName(), NIGHTLY_BALANCE.getGroup())
                  // After downtime the missed night is not made up: one balance, the next night.
                  .withSchedule(
                      CronScheduleBuilder.cronSchedule(jobs.nightlyCron())
                          .withMisfireHandlingInstructionDoNothing())
                  .build()),
          true);
    }
    scheduler.start();
    started = true;
  }

  @Override
  public void close() throws SchedulerException {
    Schedules.close(scheduler);
  }
}
