package xcm.coordinator.balancing;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import xcm.coordinator.plan.ClusterSnapshot;
import xcm.coordinator.plan.DrainStrategy;
import xcm.coordinator.plan.PlacementException;
import xcm.coordinator.plan.Plan;
import xcm.coordinator.plan.PlanOptions;
import xcm.coordinator.plan.Planner;
import xcm.mbeans.HostState;

/**
 * The power-saving policy, one decision a round: bring STANDBY hosts back when peak demand on the
 * ACTIVE hosts, less the spares, crosses a high-water mark (the largest first, as many as bring it
 * within the targets); otherwise empty the ACTIVE host holding the least memory when the others,
 * less the spares, hold the peak demand within the targets, and its drain plan leaves no
 * destination above a high-water mark. One host at a time, and nothing while a host is DRAINING, so
 * each step is judged on the cluster the last one left.
 *
 * <p>Peak demand is each domain's smoothed mean plus {@code peakFactor} standard deviations of the
 * sum (the domains' deviations taken as independent), so a host's headroom covers its bursts.
 *
 * <p>Pure and thread-safe.
 */
public final class PowerSaver {
  private final Planner planner;

  public PowerSaver(Planner planner) {
    this.planner = planner;
  }

  /** Decides a round on the smoothed snapshot and each domain's deviation in CPUs. */
  public PowerAction decide(
      ClusterSnapshot smoothed,
      Map<String, Double> deviations,
      PowerSettings settings,
      PlanOptions options) {
    if (!settings.enabled()) {
      return new PowerAction.Hold("power saving is off");
    }
    Map<String, HostLoad> loads = loads(smoothed, deviations);
    List<ClusterSnapshot.Host> active = new ArrayList<>();
    List<ClusterSnapshot.Host> standby = new ArrayList<>();
    for (ClusterSnapshot.Host host : smoothed.hosts()) {
      switch (host.state()) {
        case ACTIVE -> active.add(host);
        case STANDBY -> standby.add(host);
        case DRAINING -> {
          return new PowerAction.Hold("host " + host.name() + " is DRAINING");
        }
        default -> {}
      }
    }
    for (ClusterSnapshot.Host host : standby) {
      if (loads.get(host.name()).domains > 0) {
        return finishEvacuation(smoothed, deviations, settings, options, host.name());
      }
    }
    Room room = room(active, settings.spareHosts());
    List<HostLoad> served = active.stream().map(h -> loads.get(h.name())).toList();
    double cpuDemand = peak(served, settings.peakFactor());
    double memoryDemand = served.stream().mapToDouble(l -> l.memory).sum();
    if (!standby.isEmpty()
        && (cpuDemand > settings.highWaterCpu() * room.cpus
            || memoryDemand > settings.highWaterMemory() * room.memory)) {
      List<ClusterSnapshot.Host> largestFirst = new ArrayList<>(standby);
      largestFirst.sort(
          Comparator.comparingInt(ClusterSnapshot.Host::cpus)
              .reversed()
              .thenComparing(ClusterSnapshot.Host::name));
      List<ClusterSnapshot.Host> serving = new ArrayList<>(active);
      List<String> wake = new ArrayList<>();
      for (ClusterSnapshot.Host host : largestFirst) {
        serving.add(host);
        wake.add(host.name());
        Room grown = room(serving, settings.spareHosts());
        if (cpuDemand <= settings.targetCpu() * grown.cpus
            && memoryDemand <= settings.targetMemory() * grown.memory) {
          break;
        }
      }
      return new PowerAction.Wake(
          wake,
          String.format(
              Locale.ROOT,
              "peak demand %.1f CPUs, %s of memory, crosses the high-water marks of the ACTIVE"
                  + " hosts less %d spare (%.1f CPUs, %s)",
              cpuDemand,
              gib(memoryDemand),
              settings.spareHosts(),
              settings.highWaterCpu() * room.cpus,
              gib(settings.highWaterMemory() * room.memory)));
    }
    if (active.size() <= settings.spareHosts() + 1) {
      return new PowerAction.Hold(active.size() + " ACTIVE hosts: none can be spared");
    }
    ClusterSnapshot.Host emptiest =
        active.stream()
            .min(
                Comparator.comparingDouble((ClusterSnapshot.Host h) -> loads.get(h.name()).memory)
                    .thenComparingInt(h -> loads.get(h.name()).domains)
                    .thenComparing(ClusterSnapshot.Host::name))
            .orElseThrow();
    List<ClusterSnapshot.Host> rest = new ArrayList<>(active);
    rest.remove(emptiest);
    Room without = room(rest, settings.spareHosts());
    if (cpuDemand > settings.targetCpu() * without.cpus
        || memoryDemand > settings.targetMemory() * without.memory) {
      return new PowerAction.Hold(
          String.format(
              Locale.ROOT,
              "without %s the hosts less %d spare would pass the targets: peak %.1f of %.1f CPUs,"
                  + " %s of %s memory",
              emptiest.name(),
              settings.spareHosts(),
              cpuDemand,
              settings.targetCpu() * without.cpus,
              gib(memoryDemand),
              gib(settings.targetMemory() * without.memory)));
    }
    Plan plan;
    try {
      plan = planner.drain(smoothed, emptiest.name(), DrainStrategy.BEST_FIT, options);
    } catch (PlacementException e) {
      return new PowerAction.Hold("cannot empty " + emptiest.name() + ": " + e.getMessage());
    }
    String crowded = crowded(smoothed, deviations, plan, settings);
    if (crowded != null) {
      return new PowerAction.Hold("emptying " + emptiest.name() + " would leave " + crowded);
    }
    return new PowerAction.Evacuate(
        emptiest.name(),
        plan,
        String.format(
            Locale.ROOT,
            "the other hosts less %d spare hold peak demand %.1f CPUs (target %.1f) and %s (target"
                + " %s)",
            settings.spareHosts(),
            cpuDemand,
            settings.targetCpu() * without.cpus,
            gib(memoryDemand),
            gib(settings.targetMemory() * without.memory)));
  }

  /**
   * A STANDBY host still runs domains (an evacuation cut short): it is emptied again, or, when its
   * domains no longer fit elsewhere, brought back.
   */
  private PowerAction finishEvacuation(
      ClusterSnapshot smoothed,
      Map<String, Double> deviations,
      PowerSettings settings,
      PlanOptions options,
      String host) {
    try {
      Plan plan = planner.drain(smoothed, host, DrainStrategy.BEST_FIT, options);
      String crowded = crowded(smoothed, deviations, plan, settings);
      if (crowded == null) {
        return new PowerAction.Evacuate(host, plan, "STANDBY host " + host + " still runs domains");
      }
      return new PowerAction.Wake(
          List.of(host),
          "STANDBY host " + host + " still runs domains; moving them would leave " + crowded);
    } catch (PlacementException e) {
      return new PowerAction.Wake(
          List.of(host),
          "STANDBY host " + host + " still runs domains that fit nowhere else: " + e.getMessage());
    }
  }

  /** A host after the plan above a high-water mark on peak demand, named; null if none. */
  private static String crowded(
      ClusterSnapshot smoothed, Map<String, Double> deviations, Plan plan, PowerSettings settings) {
    Map<String, HostLoad> loads = loads(smoothed.withMoves(plan.moves()), deviations);
    Set<String> destinations = new HashSet<>();
    plan.moves().forEach(m -> destinations.add(m.to()));
    for (ClusterSnapshot.Host host : smoothed.hosts()) {
      HostLoad load = loads.get(host.name());
      if (host.state() != HostState.ACTIVE || !destinations.contains(host.name())) {
        continue;
      }
      double cpu = load.peak(settings.peakFactor()) / host.cpus();
      double memory = load.memory / host.capacityBytes();
      if (cpu > settings.highWaterCpu() || memory > settings.highWaterMemory()) {
        return String.format(
            Locale.ROOT,
            "%s at %.0f%% CPU and %.0f%% memory on peak demand",
            host.name(),
            100 * cpu,
            100 * memory);
      }
    }
    return null;
  }

  /** What the hosts hold: mean CPU demand, its variance, memory and domains. */
  private static final class HostLoad {
    double cpu;
    double variance;
    double memory;
    int domains;

    double peak(double z) {
      return cpu + z * Math.sqrt(variance);
    }
  }

  private static Map<String, HostLoad> loads(
      ClusterSnapshot snapshot, Map<String, Double> deviations) {
    Map<String, HostLoad> loads = new HashMap<>();
    snapshot.hosts().forEach(h -> loads.put(h.name(), new HostLoad()));
    for (ClusterSnapshot.Domain d : snapshot.domains()) {
      if (d.holdsResources()) {
        HostLoad load = loads.get(d.host());
        double dev = deviations.getOrDefault(d.name(), 0.0);
        load.cpu += d.cpuUtilisation() * d.vcpus();
        load.variance += dev * dev;
        load.memory += d.memoryBytes();
        load.domains++;
      }
    }
    return loads;
  }

  /** The cluster's peak: Σ means plus z × √Σ variances. */
  private static double peak(List<HostLoad> loads, double z) {
    double mean = 0;
    double variance = 0;
    for (HostLoad load : loads) {
      mean += load.cpu;
      variance += load.variance;
    }
    return mean + z * Math.sqrt(variance);
  }

  /** CPUs and memory of the hosts less the {@code spares} largest (by CPUs). */
  private record Room(double cpus, double memory) {}

  private static Room room(List<ClusterSnapshot.Host> hosts, int spares) {
    List<ClusterSnapshot.Host> bySize = new ArrayList<>(hosts);
    bySize.sort(Comparator.comparingInt(ClusterSnapshot.Host::cpus).reversed());
    double cpus = 0;
    double memory = 0;
    for (int i = Math.min(spares, bySize.size()); i < bySize.size(); i++) {
      cpus += bySize.get(i).cpus();
      memory += bySize.get(i).capacityBytes();
    }
    return new Room(cpus, memory);
  }

  private static String gib(double bytes) {
    return String.format(Locale.ROOT, "%.1f GiB", bytes / (1L << 30));
  }
}
