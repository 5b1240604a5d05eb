package xcm.bench.day;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import xcm.bench.plan.HbalSolver;
import xcm.coordinator.plan.PlanOptions;

/**
 * Ganeti's real {@code hbal}, run every hour as its users run it from cron: the cluster with each
 * VM's last-minute CPU load as hbal's dynamic utilisation ({@code -U}), VMs migrating excluded, and
 * hbal's whole solution queued. No cooldown: hbal has none.
 */
final class HbalPolicy implements DayPolicy {
  private final HbalSolver hbal;
  private final int interval;

  HbalPolicy(Path dir, int interval) {
    this.hbal = new HbalSolver(dir, 300);
    this.interval = interval;
  }

  @Override
  public String name() {
    return "Ganeti hbal (every " + interval + " min)";
  }

  @Override
  public int intervalMinutes() {
    return interval;
  }

  @Override
  public void round(SimCluster cluster) {
    Map<String, String> solution;
    try {
      solution = hbal.solve(SimSnapshot.of(cluster, cluster::demand), new PlanOptions(0));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while hbal ran", e);
    }
    Map<String, Integer> vms = new HashMap<>();
    for (int v = 0; v < cluster.vmCount(); v++) {
      vms.put(cluster.trace().vms().get(v).name(), v);
    }
    Map<String, Integer> hosts = new HashMap<>();
    for (int h = 0; h < cluster.hostCount(); h++) {
      hosts.put(cluster.trace().hosts().get(h).name(), h);
    }
    solution.forEach(
        (vm, host) -> {
          int v = vms.get(vm);
          int to = hosts.get(host);
          if (cluster.hostOf(v) != to) {
            cluster.migrate(v, to);
          }
        });
  }
}
