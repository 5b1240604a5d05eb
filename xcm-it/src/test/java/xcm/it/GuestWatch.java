package xcm.it;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import xcm.bench.Lab;

/**
 * Watches where the lab's guests run, every 200 ms, on a thread of its own: each host's power
 * first, then its running guests as its libvirtd lists them (virsh), or, where libvirtd does not
 * answer (a host booting or without power), as its QEMU processes show them. Keeps every sample in
 * which a guest ran on two hosts at once.
 *
 * <p>Thread-safe.
 */
final class GuestWatch implements AutoCloseable {
  private static final long PERIOD_MILLIS = 200;

  /** One look at the lab: guest → hosts running it, host → whether it had power. */
  record Sample(long nanos, Map<String, List<String>> where, Map<String, Boolean> power) {}

  private final Lab lab;
  private final List<Sample> samples = new ArrayList<>();
  private final List<String> doubles = new ArrayList<>();
  private final List<String> errors = new ArrayList<>();
  private final Thread thread;
  private volatile boolean stopped;

  private GuestWatch(Lab lab) {
    this.lab = lab;
    this.thread = new Thread(this::watch, "guest-watch");
    this.thread.setDaemon(true);
  }

  static GuestWatch start(Lab lab) {
    GuestWatch watch = new GuestWatch(lab);
    watch.thread.start();
    return watch;
  }

  private void watch() {
    while (!stopped) {
      long started = System.nanoTime();
      try {
        Sample sample = sample();
        synchronized (this) {
          samples.add(sample);
          sample.where.forEach(
              (guest, hosts) -> {
                if (hosts.size() > 1) {
                  doubles.add(
                      String.format("%.1f s: %s runs on %s", started / 1e9 % 1000, guest, hosts));
                }
              });
        }
        long left = PERIOD_MILLIS - (System.nanoTime() - started) / 1_000_000;
        if (left > 0) {
          Thread.sleep(left);
        }
      } catch (InterruptedException e) {
        return;
      } catch (IOException | RuntimeException e) {
        synchronized (this) {
          errors.add(e.toString());
        }
      }
    }
  }

  private Sample sample() throws IOException, InterruptedException {
    long now = System.nanoTime();
    Map<String, Boolean> power = new TreeMap<>();
    for (String host : lab.hosts()) {
      power.put(host, lab.powered(host));
    }
    Map<String, List<String>> where = new TreeMap<>();
    for (String host : lab.hosts()) {
      List<String> guests;
      try {
        guests = power.get(host) ? lab.active(host) : lab.qemuGuests(host);
      } catch (IOException e) {
        // Its libvirtd does not answer (booting, or just killed): its QEMU processes tell.
        guests = lab.qemuGuests(host);
      }
      for (String guest : guests) {
        where.computeIfAbsent(guest, g -> new ArrayList<>()).add(host);
      }
    }
    return new Sample(now, where, power);
  }

  /** Every sample in which a guest ran on two hosts at once, described. */
  synchronized List<String> doubles() {
    return List.copyOf(doubles);
  }

  /** Samples that could not be taken, why. */
  synchronized List<String> errors() {
    return List.copyOf(errors);
  }

  synchronized int count() {
    return samples.size();
  }

  /**
   * Whether {@code host} had power in the first sample that saw {@code guest} run on another host;
   * empty when none did.
   */
  synchronized Optional<Boolean> firstSeenElsewhere(String guest, String host) {
    for (Sample sample : samples) {
      List<String> hosts = sample.where.getOrDefault(guest, List.of());
      if (hosts.stream().anyMatch(h -> !h.equals(host))) {
        return Optional.of(sample.power.get(host));
      }
    }
    return Optional.empty();
  }

  @Override
  public void close() {
    stopped = true;
    thread.interrupt();
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
