package xcm.testkit.plan;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import xcm.coordinator.plan.ClusterSnapshot;
import xcm.mbeans.placement.HostLabels;
import xcm.mbeans.placement.PlacementRules;

/**
 * Placement rules for a {@link SyntheticClusters} cluster, as operators would set them: hosts
 * labelled with one of eight racks ({@code rack=r0..r7}) and, a third of them, {@code ssd=true};
 * about 10% of the domains with rules — the generator's hard apart groups of three (kept on 4% of
 * the domains), hard together pairs (2%, placed on one host where memory allows, else left apart
 * for a plan to mend), {@code on rack=…} (1%, where the domain happens to be, so a few break it
 * after a rack change), {@code prefer ssd=true} (1.5%), soft apart pairs (1%) and pins (0.5%).
 *
 * <pre>{@code
 * ClusterSnapshot ruled = SyntheticRules.mixed(SyntheticClusters.skewed(50, 1_000, 42), 42);
 * ClusterSnapshot bare = SyntheticRules.none(ruled);
 * }</pre>
 *
 * <p>The same arguments give the same cluster. Stateless and thread-safe.
 */
public final class SyntheticRules {
  private SyntheticRules() {}

  /** The cluster with every rule and label removed. */
  public static ClusterSnapshot none(ClusterSnapshot cluster) {
    List<ClusterSnapshot.Host> hosts = new ArrayList<>();
    cluster.hosts().forEach(h -> hosts.add(h.withLabels(HostLabels.NONE)));
    List<ClusterSnapshot.Domain> domains = new ArrayList<>();
    cluster.domains().forEach(d -> domains.add(d.withRules(PlacementRules.NONE)));
    return new ClusterSnapshot(hosts, domains);
  }

  /** The cluster with labels on its hosts and rules on about 10% of its domains. */
  public static ClusterSnapshot mixed(ClusterSnapshot cluster, long seed) {
    SplittableRandom random = new SplittableRandom(seed ^ 0x5eed);
    List<ClusterSnapshot.Host> hosts = new ArrayList<>();
    Map<String, String> rackOf = new HashMap<>();
    Map<String, Long> free = new HashMap<>();
    for (int h = 0; h < cluster.hosts().size(); h++) {
      ClusterSnapshot.Host host = cluster.hosts().get(h);
      String rack = "r" + (h % 8);
      rackOf.put(host.name(), rack);
      free.put(host.name(), host.capacityBytes());
      hosts.add(
          host.withLabels(HostLabels.parse("rack=" + rack + (h % 3 == 0 ? ",ssd=true" : ""))));
    }
    for (ClusterSnapshot.Domain d : cluster.domains()) {
      if (d.holdsResources()) {
        free.merge(d.host(), -d.memoryBytes(), Long::sum);
      }
    }
    List<ClusterSnapshot.Domain> domains = new ArrayList<>(cluster.domains().size());
    ClusterSnapshot.Domain pairFirst = null;
    int pairs = 0;
    for (ClusterSnapshot.Domain d : cluster.domains()) {
      PlacementRules groups = d.rules();
      boolean apartKept = !groups.apart().isEmpty() && groupNumber(groups) % 5 < 2;
      String rules = apartKept ? groups.toString() : "";
      ClusterSnapshot.Domain out = d.withRules(PlacementRules.NONE);
      if (!apartKept && groups.apart().isEmpty()) {
        double roll = random.nextDouble();
        if (roll < 0.02) {
          if (pairFirst == null) {
            pairFirst = out;
            rules = "together p" + pairs;
          } else {
            rules = "together p" + pairs++;
            if (free.get(pairFirst.host()) >= d.memoryBytes()) {
              free.merge(d.host(), d.memoryBytes(), Long::sum);
              free.merge(pairFirst.host(), -d.memoryBytes(), Long::sum);
              out = out.withHost(pairFirst.host());
            }
            pairFirst = null;
          }
        } else if (roll < 0.03) {
          rules = "on rack=" + rackOf.get(d.host());
        } else if (roll < 0.045) {
          rules = "prefer ssd=true";
        } else if (roll < 0.055) {
          rules = "apart s" + random.nextInt(Math.max(1, cluster.domains().size() / 200)) + " soft";
        } else if (roll < 0.06) {
          rules = "pinned";
        }
      }
      domains.add(out.withRules(PlacementRules.parse(rules)));
    }
    if (pairFirst != null) {
      // A pair left with one member: no rule for it.
      for (int i = domains.size() - 1; i >= 0; i--) {
        if (domains.get(i).name().equals(pairFirst.name())) {
          domains.set(i, domains.get(i).withRules(PlacementRules.NONE));
        }
      }
    }
    return new ClusterSnapshot(hosts, domains);
  }

  private static int groupNumber(PlacementRules rules) {
    return Integer.parseInt(rules.apart().get(0).group().substring(1));
  }
}
