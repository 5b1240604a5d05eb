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

  /**
   * One look at the lab: guest → hosts running it, host → whether it had power, host → how its
   * guests were seen (virsh, or QEMU processes and why).
   */
  record Sample(
      long nanos,
      Map<String, List<String>> where,
      Map<String, Boolean> power,
      Map<String, String> how) {}

  private final Lab lab;
  private final List<Sample> samples = new ArrayList<>();
  private final List<String> doubles = new ArrayList<>();
  private final List<String> errors = new ArrayList<>();
  private final Thread thread;
  private final long begun = System.nanoTime();
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
                  doubles.add(describe(sample, guest, hosts));
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
    Map<String, String> how = new TreeMap<>();
    for (String host : lab.hosts()) {
      List<String> guests;
      try {
        if (power.get(host)) {
          guests = lab.active(host);
          how.put(host, "virsh list");
        } else {
          guests = processes(host, "no power", how);
        }
      } catch (IOException e) {
        // Its libvirtd does not answer (booting, or just killed): its QEMU processes tell.
        guests = processes(host, "virsh failed: " + e.getMessage().strip(), how);
      }
      for (String guest : guests) {
        where.computeIfAbsent(guest, g -> new ArrayList<>()).add(host);
      }
    }
    return new Sample(now, where, power, how);
  }

  private List<String> processes(String host, String why, Map<String, String> how)
      throws IOException {
    List<Lab.Qemu> qemus = lab.qemuProcesses(host);
    how.put(host, "QEMU processes (" + why + "): " + qemus);
    return qemus.stream().map(Lab.Qemu::guest).toList();
  }

  /**
   * A double, with all there is to tell it from an artefact of the watch: when, each host's power
   * and how its guests were seen, and the QEMU processes that run the guest now.
   */
  private String describe(Sample sample, String guest, List<String> hosts) {
    StringBuilder text =
        new StringBuilder(
            String.format(
                "%.1f s into the watch: %s runs on %s",
                (sample.nanos - begun) / 1e9, guest, hosts));
    for (String host : hosts) {
      text.append(
          String.format(
              "%n  %s: power %s, %s", host, sample.power.get(host), sample.how.get(host)));
      try {
        List<Lab.Qemu> now =
            lab.qemuProcesses(host).stream().filter(q -> q.guest().equals(guest)).toList();
        text.append(
            String.format("%n  %s: its QEMU processes for %s right after: %s", host, guest, now));
      } catch (IOException e) {
        text.append(String.format("%n  %s: its QEMU processes unreadable: %s", host, e));
      }
    }
    return text.toString();
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
