package xcm.bench.day;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

/**
 * The simulated cluster the day bench replays a trace on, a minute at a time. Migrations are queued
 * and dispatched as the coordinator does (at most {@value #PER_HOST} in flight per host and {@value
 * #PER_CLUSTER} in the cluster, in order, skipping those whose hosts are busy); each takes {@value
 * #SETUP_SECONDS} s plus the VM's memory at {@value #MIB_PER_SECOND} MiB/s, holds its memory on
 * both hosts, and keeps {@value #SOURCE_CPUS} CPU busy on the source and {@value #DESTINATION_CPUS}
 * on the destination while it runs. The VM's demand stays on the source until the migration ends. A
 * move whose destination no longer has the memory, or accepts no VMs, is dropped when its turn
 * comes.
 *
 * <p>Hosts are ACTIVE, DRAINING (being emptied for power saving: no new VMs), STANDBY (powered off)
 * or BOOTING (powered on, ACTIVE {@value #BOOT_MINUTES} minutes later).
 *
 * <p>Not thread-safe; one run owns it.
 */
final class SimCluster {
  enum Power {
    ACTIVE,
    DRAINING,
    STANDBY,
    BOOTING
  }

  static final double MIB_PER_SECOND = 512;
  static final double SETUP_SECONDS = 2;
  static final double SOURCE_CPUS = 1.0;
  static final double DESTINATION_CPUS = 0.5;
  static final int PER_HOST = 2;
  static final int PER_CLUSTER = 8;
  static final int BOOT_MINUTES = 5;
  static final long RESERVE_MIB = 8192;

  private record Pending(int vm, int from, int to) {}

  private static final class Flight {
    final int vm;
    final int from;
    final int to;
    final double start;
    final double end;

    Flight(int vm, int from, int to, double start, double end) {
      this.vm = vm;
      this.from = from;
      this.to = to;
      this.start = start;
      this.end = end;
    }
  }

  private final DayTrace trace;
  private final DayMetrics metrics;
  private final int hosts;
  private final int vms;
  private final int[] hostOf;
  private final int[] vmsOn;
  private final Power[] power;
  private final int[] bootDone;
  private final int[] inFlight;
  private final boolean[] migrating;
  private final int[] lastArrival;
  private final int[][] leftAt;
  private final double[] arrivedAt;
  private final int[] cameFrom;
  private final long[] usedMib;
  private final double[] utilisation;
  private final List<Pending> queue = new ArrayList<>();
  private final List<Flight> flights = new ArrayList<>();
  private final List<Flight> endedThisMinute = new ArrayList<>();
  private int minute = -1;

  SimCluster(DayTrace trace, DayMetrics metrics) {
    this.trace = trace;
    this.metrics = metrics;
    hosts = trace.hosts().size();
    vms = trace.vms().size();
    hostOf = new int[vms];
    vmsOn = new int[hosts];
    power = new Power[hosts];
    Arrays.fill(power, Power.ACTIVE);
    bootDone = new int[hosts];
    inFlight = new int[hosts];
    migrating = new boolean[vms];
    lastArrival = new int[vms];
    Arrays.fill(lastArrival, Integer.MIN_VALUE);
    leftAt = new int[vms][];
    arrivedAt = new double[vms];
    Arrays.fill(arrivedAt, -1);
    cameFrom = new int[vms];
    usedMib = new long[hosts];
    utilisation = new double[hosts];
    List<String> names = trace.hosts().stream().map(DayTrace.Host::name).toList();
    for (int v = 0; v < vms; v++) {
      hostOf[v] = names.indexOf(trace.vms().get(v).host());
      vmsOn[hostOf[v]]++;
    }
  }

  // ---- what policies read

  DayTrace trace() {
    return trace;
  }

  /** The minute last replayed. */
  int minute() {
    return minute;
  }

  int hostCount() {
    return hosts;
  }

  int vmCount() {
    return vms;
  }

  Power power(int h) {
    return power[h];
  }

  int hostOf(int vm) {
    return hostOf[vm];
  }

  int vmsOn(int h) {
    return vmsOn[h];
  }

  /** The VM's demand in the last minute, in CPUs: what a collector saw. */
  double demand(int vm) {
    return trace.cpu(Math.max(0, minute), vm);
  }

  long memoryMib(int vm) {
    return trace.memoryBytes(Math.max(0, minute), vm) >> 20;
  }

  /** The host's CPU busy in the last minute over its CPUs, migrations included. */
  double utilisation(int h) {
    return utilisation[h];
  }

  /** Memory the host's VMs and incoming migrations hold, in MiB. */
  long usedMib(int h) {
    return usedMib[h];
  }

  /** Memory VMs may fill on the host, in MiB. */
  long capacityMib(int h) {
    return trace.hosts().get(h).memoryMib() - RESERVE_MIB;
  }

  boolean migrating(int vm) {
    return migrating[vm];
  }

  /** Migrations in flight from or to the host. */
  int inFlight(int h) {
    return inFlight[h];
  }

  /** The minute the VM last arrived on a host by migration, or {@link Integer#MIN_VALUE}. */
  int lastArrival(int vm) {
    return lastArrival[vm];
  }

  /** True when no migration is queued or running. */
  boolean idle() {
    return queue.isEmpty() && flights.isEmpty();
  }

  // ---- what policies do

  /** Queues a live migration of the VM from where it is now. */
  void migrate(int vm, int to) {
    queue.add(new Pending(vm, hostOf[vm], to));
  }

  /** Takes the host out of placements to empty it; it goes STANDBY once empty. */
  void evacuate(int h) {
    if (power[h] == Power.ACTIVE) {
      power[h] = Power.DRAINING;
    }
  }

  /** Powers a STANDBY host on. */
  void wake(int h) {
    if (power[h] == Power.STANDBY) {
      power[h] = Power.BOOTING;
      bootDone[h] = minute + BOOT_MINUTES;
      metrics.wake();
    }
  }

  // ---- the replay

  /** Replays one minute: migrations dispatched and ended within it, then its accounts. */
  void replay(int m) {
    minute = m;
    double start = m * 60.0;
    double end = start + 60;
    endedThisMinute.clear();
    recountMemory();
    dispatch(start);
    while (true) {
      Flight next = null;
      for (Flight f : flights) {
        if (f.end < end && (next == null || f.end < next.end)) {
          next = f;
        }
      }
      if (next == null) {
        break;
      }
      land(next);
      dispatch(next.end);
    }
    account(start, end);
    settleHosts();
  }

  private void recountMemory() {
    Arrays.fill(usedMib, 0);
    for (int v = 0; v < vms; v++) {
      usedMib[hostOf[v]] += memoryMib(v);
    }
    for (Flight f : flights) {
      usedMib[f.to] += memoryMib(f.vm);
    }
  }

  private void dispatch(double at) {
    Iterator<Pending> it = queue.iterator();
    while (it.hasNext() && flights.size() < PER_CLUSTER) {
      Pending p = it.next();
      if (migrating[p.vm] || inFlight[p.from] >= PER_HOST || inFlight[p.to] >= PER_HOST) {
        continue;
      }
      it.remove();
      long memory = memoryMib(p.vm);
      if (hostOf[p.vm] != p.from
          || p.to == p.from
          || power[p.to] != Power.ACTIVE
          || usedMib[p.to] + memory > capacityMib(p.to)) {
        metrics.drop();
        continue;
      }
      migrating[p.vm] = true;
      inFlight[p.from]++;
      inFlight[p.to]++;
      usedMib[p.to] += memory;
      flights.add(new Flight(p.vm, p.from, p.to, at, at + SETUP_SECONDS + memory / MIB_PER_SECOND));
    }
  }

  private void land(Flight f) {
    flights.remove(f);
    endedThisMinute.add(f);
    migrating[f.vm] = false;
    inFlight[f.from]--;
    inFlight[f.to]--;
    usedMib[f.from] -= memoryMib(f.vm);
    hostOf[f.vm] = f.to;
    vmsOn[f.from]--;
    vmsOn[f.to]++;
    arrivedAt[f.vm] = f.end;
    cameFrom[f.vm] = f.from;
    if (leftAt[f.vm] == null) {
      leftAt[f.vm] = new int[hosts];
      Arrays.fill(leftAt[f.vm], Integer.MIN_VALUE);
    }
    boolean back = leftAt[f.vm][f.to] != Integer.MIN_VALUE && minute - leftAt[f.vm][f.to] <= 60;
    leftAt[f.vm][f.from] = minute;
    lastArrival[f.vm] = minute;
    metrics.migrated(minute, back);
  }

  private void account(double start, double end) {
    double[] load = new double[hosts];
    for (int v = 0; v < vms; v++) {
      double d = trace.cpu(minute, v);
      if (arrivedAt[v] >= start && arrivedAt[v] < end) {
        double before = (arrivedAt[v] - start) / 60;
        load[cameFrom[v]] += d * before;
        load[hostOf[v]] += d * (1 - before);
      } else {
        load[hostOf[v]] += d;
      }
    }
    for (Flight f : endedThisMinute) {
      overhead(load, f, start, end);
    }
    for (Flight f : flights) {
      overhead(load, f, start, end);
    }
    boolean[] powered = new boolean[hosts];
    boolean[] serving = new boolean[hosts];
    double[] cpus = new double[hosts];
    for (int h = 0; h < hosts; h++) {
      cpus[h] = trace.hosts().get(h).cpus();
      utilisation[h] = load[h] / trace.hosts().get(h).cpus();
      powered[h] = power[h] != Power.STANDBY;
      serving[h] = power[h] == Power.ACTIVE || power[h] == Power.DRAINING;
    }
    metrics.minute(utilisation, cpus, powered, serving);
  }

  private static void overhead(double[] load, Flight f, double start, double end) {
    double seconds = Math.max(0, Math.min(end, f.end) - Math.max(start, f.start));
    load[f.from] += SOURCE_CPUS * seconds / 60;
    load[f.to] += DESTINATION_CPUS * seconds / 60;
  }

  private void settleHosts() {
    for (int h = 0; h < hosts; h++) {
      if (power[h] == Power.BOOTING && minute >= bootDone[h]) {
        power[h] = Power.ACTIVE;
      } else if (power[h] == Power.DRAINING && inFlight[h] == 0 && !queuedFrom(h)) {
        if (vmsOn[h] == 0) {
          power[h] = Power.STANDBY;
          metrics.standBy();
        } else {
          power[h] = Power.ACTIVE;
          metrics.abandon();
        }
      }
    }
  }

  private boolean queuedFrom(int h) {
    for (Pending p : queue) {
      if (p.from == h) {
        return true;
      }
    }
    return false;
  }
}
