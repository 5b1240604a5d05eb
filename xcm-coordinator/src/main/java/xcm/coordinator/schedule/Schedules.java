package xcm.coordinator.schedule;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.Supplier;
import org.quartz.Job;
import org.quartz.JobBuilder;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.TriggerBuilder;
import org.quartz.impl.SchedulerRepository;
import org.quartz.impl.StdSchedulerFactory;

/**
 * What the coordinator's two schedulers share: how one is made, how a job repeats, how it stops.
 */
final class Schedules {
  /** How long closing waits for a job in flight (a collect round, a prune) to end. */
  static final Duration CLOSE_WAIT = Duration.ofSeconds(30);

  private Schedules() {}

  /**
   * A scheduler from {@code properties}, making jobs with {@code jobs}, never from statics. Quartz
   * keeps schedulers in a JVM-wide repository by name and hands out the one it holds: each
   * coordinator's is its own, so it leaves the repository once made.
   */
  static Scheduler create(Properties properties, Map<Class<? extends Job>, Supplier<Job>> jobs)
      throws SchedulerException {
    properties.setProperty("org.quartz.threadPool.threadCount", "2");
    properties.setProperty("org.quartz.threadPool.threadNamePrefix", "xcm-quartz");
    Scheduler scheduler = new StdSchedulerFactory(properties).getScheduler();
    SchedulerRepository.getInstance().remove(scheduler.getSchedulerName());
    scheduler.setJobFactory(
        (bundle, s) -> {
          Supplier<Job> job = jobs.get(bundle.getJobDetail().getJobClass());
          if (job == null) {
            throw new SchedulerException("no job " + bundle.getJobDetail().getJobClass());
          }
          return job.get();
        });
    return scheduler;
  }

  /**
   * Runs {@code job} every {@code interval}, first at once, replacing what a job store kept of it;
   * a round that starts late runs once, missed rounds are not made up.
   */
  static void every(Scheduler scheduler, JobKey key, Class<? extends Job> job, Duration interval)
      throws SchedulerException {
    scheduler.scheduleJob(
        JobBuilder.newJob(job).withIdentity(key).build(),
        Set.of(
            TriggerBuilder.newTrigger()
                .withIdentity(key.getName(), key.getGroup())
                .startNow()
                .withSchedule(
                    SimpleScheduleBuilder.simpleSchedule()
                        .withIntervalInMilliseconds(interval.toMillis())
                        .repeatForever()
                        .withMisfireHandlingInstructionNextWithRemainingCount())
                .build()),
        true);
  }

  /**
   * Fires nothing more, lets a job in flight end (for at most {@link #CLOSE_WAIT}), then stops.
   * Quartz's own wait for its jobs ({@code shutdown(true)}) was seen to wait forever on a pool
   * whose workers had all ended, when the scheduler closed right after it started.
   */
  static void close(Scheduler scheduler) throws SchedulerException {
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
