package xcm.coordinator.balancing;

import java.util.HashMap;
import java.util.Map;
import xcm.coordinator.plan.ClusterSnapshot;
import xcm.coordinator.plan.Move;
import xcm.mbeans.HostState;

/**
 * The ACTIVE hosts' CPU and memory utilisation on smoothed demand, with each host's CPU noise (the
 * deviations of its domains' demand, taken as independent), replayed move by move: the imbalance a
 * round starts from, and how much of a move's gain the noise alone could make.
 *
 * <p>Not thread-safe; one round uses it.
 */
final class DemandSpread {
  private final double memoryWeight;
  private final double cpuWeight;
  private final Map<String, Integer> hostIndex = new HashMap<>();
  private final Map<String, ClusterSnapshot.Domain> domains = new HashMap<>();
  private final Map<String, Double> deviations;
  private final double[] cpus;
  private final double[] capacity;
  private final double[] cpuLoad;
  private final double[] memory;
  private final double[] variance;
  private final int counted;

  DemandSpread(
      ClusterSnapshot snapshot,
      Map<String, Double> deviations,
      double memoryWeight,
      double cpuWeight) {
    this.memoryWeight = memoryWeight;
    this.cpuWeight = cpuWeight;
    this.deviations = deviations;
    int n = 0;
    for (ClusterSnapshot.Host host : snapshot.hosts()) {
      if (host.state() == HostState.ACTIVE) {
        hostIndex.put(host.name(), n++);
      }
    }
    counted = n;
    cpus = new double[n];
    capacity = new double[n];
    cpuLoad = new double[n];
    memory = new double[n];
    variance = new double[n];
    for (ClusterSnapshot.Host host : snapshot.hosts()) {
      Integer h = hostIndex.get(host.name());
      if (h != null) {
        cpus[h] = host.cpus();
        capacity[h] = host.capacityBytes();
      }
    }
    for (ClusterSnapshot.Domain domain : snapshot.domains()) {
      domains.put(domain.name(), domain);
      Integer h = hostIndex.get(domain.host());
      if (h != null && domain.holdsResources()) {
        add(h, domain, 1);
      }
    }
  }

  private DemandSpread(DemandSpread other) {
    memoryWeight = other.memoryWeight;
    cpuWeight = other.cpuWeight;
    hostIndex.putAll(other.hostIndex);
    domains.putAll(other.domains);
    deviations = other.deviations;
    cpus = other.cpus;
    capacity = other.capacity;
    cpuLoad = other.cpuLoad.clone();
    memory = other.memory.clone();
    variance = other.variance.clone();
    counted = other.counted;
  }

  /** An independent copy to replay other moves on. */
  DemandSpread copy() {
    return new DemandSpread(this);
  }

  /** The ACTIVE hosts counted. */
  int hosts() {
    return counted;
  }

  /** Σ weight × population standard deviation of memory and CPU utilisation. */
  double imbalance() {
    return memoryWeight * deviation(memory, capacity) + cpuWeight * deviation(cpuLoad, cpus);
  }

  /**
   * The standard deviation of a move's gain that the hosts' CPU noise alone makes. To first order
   * the CPU term's gain moves with the two hosts' utilisations only, each weighted by the
   * utilisation the move shifts ({@code δ}) over {@code n × σ} of the CPU spread.
   */
  double noise(Move move) {
    Integer from = hostIndex.get(move.from());
    Integer to = hostIndex.get(move.to());
    ClusterSnapshot.Domain domain = domains.get(move.domain());
    if (from == null || to == null || domain == null || cpuWeight == 0) {
      return 0;
    }
    double load = demand(domain);
    double shiftFrom = load / cpus[from];
    double shiftTo = load / cpus[to];
    double noiseFrom = variance[from] / (cpus[from] * cpus[from]);
    double noiseTo = variance[to] / (cpus[to] * cpus[to]);
    double spread = Math.max(deviation(cpuLoad, cpus), 1e-9);
    return cpuWeight
        * Math.sqrt(shiftFrom * shiftFrom * noiseFrom + shiftTo * shiftTo * noiseTo)
        / (counted * spread);
  }

  /** Moves the domain's demand as the move does. */
  void apply(Move move) {
    ClusterSnapshot.Domain domain = domains.get(move.domain());
    Integer from = hostIndex.get(move.from());
    Integer to = hostIndex.get(move.to());
    if (domain == null || !domain.holdsResources()) {
      return;
    }
    if (from != null) {
      add(from, domain, -1);
    }
    if (to != null) {
      add(to, domain, 1);
    }
  }

  private void add(int h, ClusterSnapshot.Domain domain, int sign) {
    double dev = deviations.getOrDefault(domain.name(), 0.0);
    cpuLoad[h] += sign * demand(domain);
    memory[h] += sign * (double) domain.memoryBytes();
    variance[h] += sign * dev * dev;
  }

  private static double demand(ClusterSnapshot.Domain domain) {
    return domain.cpuUtilisation() * domain.vcpus();
  }

  private double deviation(double[] used, double[] size) {
    if (counted == 0) {
      return 0;
    }
    double sum = 0;
    double sumSq = 0;
    for (int h = 0; h < counted; h++) {
      double x = used[h] / size[h];
      sum += x;
      sumSq += x * x;
    }
    double mean = sum / counted;
    return Math.sqrt(Math.max(0, sumSq / counted - mean * mean));
  }
}
