package xcm.agent.sample;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import xcm.agent.libvirt.DomainReadFailure;
import xcm.agent.libvirt.DomainReading;
import xcm.agent.libvirt.DomainStats;
import xcm.agent.libvirt.Hypervisor;
import xcm.agent.libvirt.HypervisorException;
import xcm.agent.libvirt.HypervisorUnavailableException;
import xcm.agent.libvirt.NodeCapacity;
import xcm.serve.LogText;

/**
 * Reads the hypervisor on a fixed interval and publishes an immutable {@link HostSample}.
 *
 * <p>libvirt-java has no bulk statistics call, so every domain is read on its own; a domain that
 * fails keeps its last good figures and counts an error. When the connection is lost the last
 * sample stays visible, marked stale, and the sampler reconnects with exponential back-off; each
 * change of state is logged once.
 *
 * <pre>{@code
 * Sampler sampler = new Sampler(hypervisor, "dmz01", Duration.ofSeconds(5), Duration.ofMinutes(1),
 *     Clock.systemUTC());
 * sampler.addListener(sample -> System.out.println(sample.domains().size()));
 * sampler.start();
 * }</pre>
 *
 * <p>Thread-safe: all sampling runs on one thread owned by the sampler; {@link #latest()} may be
 * called from any thread.
 */
public final class Sampler implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Sampler.class);
  private static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);

  private final Hypervisor hypervisor;
  private final String host;
  private final Duration interval;
  private final Duration maxBackoff;
  private final Clock clock;
  private final ScheduledExecutorService executor;
  private final List<Consumer<HostSample>> listeners = new CopyOnWriteArrayList<>();

  private volatile HostSample latest;

  // Confined to the sampler thread.
  private final Map<String, CpuMark> cpuMarks = new HashMap<>();
  private final Set<String> failingDomains = new HashSet<>();
  private long errors;
  private boolean connected = true;
  private boolean listFailing;
  private Duration backoff = FIRST_BACKOFF;
  private Instant nextReconnect = Instant.MIN;

  public Sampler(
      Hypervisor hypervisor, String host, Duration interval, Duration maxBackoff, Clock clock) {
    this.hypervisor = hypervisor;
    this.host = host;
    this.interval = interval;
    this.maxBackoff = maxBackoff;
    this.clock = clock;
    this.latest = HostSample.empty(host, hypervisor.uri());
    this.executor =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "xcm-sampler-" + host);
              t.setDaemon(true);
              return t;
            });
  }

  /** Called on the sampler thread after every sample attempt, successful or not. */
  public void addListener(Consumer<HostSample> listener) {
    listeners.add(listener);
  }

  /** Takes the first sample now (so that views are complete at once), then one per interval. */
  public void start() {
    sampleNow();
    long period = interval.toMillis();
    executor.scheduleWithFixedDelay(this::sampleOnce, period, period, TimeUnit.MILLISECONDS);
  }

  /** The latest sample; never null. */
  public HostSample latest() {
    return latest;
  }

  public Duration interval() {
    return interval;
  }

  /** Samples at once on the sampler thread and waits for the result. */
  public HostSample sampleNow() {
    try {
      return executor.submit(this::sampleOnce).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(host + ": interrupted while sampling", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException(host + ": sampling failed: " + e.getCause(), e.getCause());
    }
  }

  /** Asks for a sample soon without waiting for it (after a change made through the agent). */
  public void requestSample() {
    executor.execute(this::sampleOnce);
  }

  @Override
  public void close() {
    executor.shutdownNow();
    try {
      executor.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private HostSample sampleOnce() {
    Instant started = clock.instant();
    HostSample sample;
    try {
      if (!connected) {
        reconnectIfDue(started);
      }
      sample = connected ? read(started) : latest.failed(false, 0, errors);
    } catch (HypervisorUnavailableException e) {
      errors++;
      lost(started, e);
      sample = latest.failed(false, secondsSince(started), errors);
    } catch (HypervisorException e) {
      errors++;
      if (!listFailing) {
        log.warn(
            "{}: sampling failed, serving the last sample as stale: {}",
            host,
            LogText.escape(e.getMessage()));
        listFailing = true;
      }
      sample = latest.failed(true, secondsSince(started), errors);
    } catch (RuntimeException e) {
      // A bug must not stop the schedule: count it, log it, keep serving the last sample.
      errors++;
      log.error("{}: sampling failed unexpectedly", host, e);
      sample = latest.failed(connected, secondsSince(started), errors);
    }
    latest = sample;
    for (Consumer<HostSample> listener : listeners) {
      try {
        listener.accept(sample);
      } catch (RuntimeException e) {
        log.error("{}: sample listener {} failed", host, listener, e);
      }
    }
    return sample;
  }

  private HostSample read(Instant started) throws HypervisorException {
    NodeCapacity capacity = hypervisor.capacity();
    Instant listed = clock.instant();
    List<DomainReading> readings = hypervisor.readDomains();
    // Domains are read one after another; the middle of that window is the best single time
    // for their CPU counters (the error is at most half the read time, not all of it).
    Instant readAt = listed.plus(Duration.between(listed, clock.instant()).dividedBy(2));
    if (listFailing) {
      log.info("{}: sampling works again", host);
      listFailing = false;
    }

    Map<String, DomainSample> previous = new HashMap<>();
    for (DomainSample domain : latest.domains()) {
      previous.put(domain.uuid(), domain);
    }
    List<DomainSample> domains = new ArrayList<>(readings.size());
    Set<String> seen = new HashSet<>();
    double busySeconds = 0;
    for (DomainReading reading : readings) {
      seen.add(reading.uuid());
      if (reading instanceof DomainStats stats) {
        if (failingDomains.remove(stats.uuid())) {
          log.info("{}: domain '{}' can be read again", host, LogText.escape(stats.name()));
        }
        CpuMark mark = cpuMarks.get(stats.uuid());
        double utilisation = 0;
        if (stats.active() && mark != null && mark.id == stats.id()) {
          double busy = Math.max(0, stats.cpuTimeNanos() - mark.cpuTimeNanos) / 1e9;
          double wall = Duration.between(mark.at, readAt).toNanos() / 1e9;
          if (wall > 0 && stats.vcpus() > 0) {
            utilisation = clamp(busy / (wall * stats.vcpus()));
            busySeconds += busy / wall;
          }
        }
        cpuMarks.put(stats.uuid(), new CpuMark(stats.id(), stats.cpuTimeNanos(), readAt));
        domains.add(new DomainSample(stats, utilisation, readAt.toEpochMilli()));
      } else {
        DomainReadFailure failure = (DomainReadFailure) reading;
        errors++;
        if (failingDomains.add(failure.uuid())) {
          log.warn(
              "{}: cannot read domain '{}': {}",
              host,
              LogText.escape(failure.name()),
              LogText.escape(failure.reason()));
        }
        DomainSample kept = previous.get(failure.uuid());
        if (kept != null) {
          domains.add(kept);
        }
      }
    }
    cpuMarks.keySet().retainAll(seen);
    failingDomains.retainAll(seen);
    domains.sort(Comparator.comparing(DomainSample::name));
    double hostUtilisation = capacity.cpus() > 0 ? clamp(busySeconds / capacity.cpus()) : 0;
    return new HostSample(
        host,
        hypervisor.uri(),
        capacity,
        domains,
        hostUtilisation,
        readAt.toEpochMilli(),
        secondsSince(started),
        true,
        false,
        latest.samplesTotal() + 1,
        errors);
  }

  private void lost(Instant now, HypervisorUnavailableException e) {
    if (connected) {
      log.warn(
          "{}: lost libvirt, serving the last sample as stale and reconnecting: {}",
          host,
          LogText.escape(e.getMessage()));
      connected = false;
      backoff = FIRST_BACKOFF;
    }
    nextReconnect = now.plus(backoff);
    backoff =
        backoff.multipliedBy(2).compareTo(maxBackoff) > 0 ? maxBackoff : backoff.multipliedBy(2);
  }

  private void reconnectIfDue(Instant now) throws HypervisorUnavailableException {
    if (now.isBefore(nextReconnect)) {
      return;
    }
    hypervisor.reconnect();
    connected = true;
    cpuMarks.clear();
    log.info("{}: reconnected to libvirt at {}", host, hypervisor.uri());
  }

  private double secondsSince(Instant started) {
    return Duration.between(started, clock.instant()).toNanos() / 1e9;
  }

  private static double clamp(double fraction) {
    return Math.min(1, Math.max(0, fraction));
  }

  /** CPU time of a domain at one reading, for the next utilisation. */
  private record CpuMark(int id, long cpuTimeNanos, Instant at) {}
}
