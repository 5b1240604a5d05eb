package xcm.coordinator.schedule;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.impl.StdSchedulerFactory;
import xcm.coordinator.collect.ClusterCollector;
import xcm.coordinator.inventory.Inventory;
import xcm.coordinator.operation.OperationRegistry;

/**
 * This coordinator's own Quartz scheduler (RAMJobStore), active or standby: the collect job every
 * collection interval (on a standby every standby collection interval, by default the same, so that
 * its views are as fresh as the active's), and the housekeeping job (hosts dead too long leave the
 * views, ended operations are forgotten). What acts runs in the {@link ClusterScheduler}, once
 * across the coordinators.
 *
 * <pre>{@code
 * try (CoordinatorScheduler scheduler = CoordinatorScheduler.start(collector, inventory,
 *     registry, Duration.ofSeconds(5), leadership::active, Duration.ofSeconds(30),
 *     Duration.ofSeconds(30))) { ... }
 * }</pre>
 */
public final class CoordinatorScheduler implements AutoCloseable {
  static final JobKey COLLECT = JobKey.jobKey("collect", "xcm");
  static final JobKey HOUSEKEEPING = JobKey.jobKey("housekeeping", "xcm");

  private final Scheduler scheduler;

  private CoordinatorScheduler(Scheduler scheduler) {
    this.scheduler = scheduler;
  }

  /**
   * Starts the scheduler; the first round runs at once.
   *
   * @param active whether this coordinator is the active one: a standby collects only every {@code
   *     standbyCollectInterval}
   */
  public static CoordinatorScheduler start(
      ClusterCollector collector,
      Inventory inventory,
      OperationRegistry operations,
      Duration collectInterval,
      BooleanSupplier active,
      Duration standbyCollectInterval,
      Duration housekeepingInterval)
      throws SchedulerException {
    Properties properties = new Properties();
    properties.setProperty(
        StdSchedulerFactory.PROP_SCHED_INSTANCE_NAME, "xcm-coordinator-" + UUID.randomUUID());
    properties.setProperty("org.quartz.jobStore.class", "org.quartz.simpl.RAMJobStore");
    // A round that starts late runs once, at once; missed rounds are not made up.
    properties.setProperty("org.quartz.jobStore.misfireThreshold", "1000");
    CollectJob collect =
        new CollectJob(collector::collect, active, standbyCollectInterval, System::nanoTime);
    Scheduler scheduler =
        Schedules.create(
            properties,
            Map.of(
                CollectJob.class, () -> collect,
                HousekeepingJob.class, () -> new HousekeepingJob(inventory, operations)));
    Schedules.every(scheduler, COLLECT, CollectJob.class, collectInterval);
    Schedules.every(scheduler, HOUSEKEEPING, HousekeepingJob.class, housekeepingInterval);
    scheduler.start();
    return new CoordinatorScheduler(scheduler);
  }

  @Override
  public void close() throws SchedulerException {
    Schedules.close(scheduler);
  }
}
