package xcm.coordinator.plan;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import xcm.mbeans.placement.GroupRule;
import xcm.mbeans.placement.HostRule;
import xcm.mbeans.placement.Strength;

/**
 * The soft placement rules of a snapshot's domains as a count the planners weigh against balance:
 * every two members of a soft {@code apart} group on one host beyond the first, every host beyond
 * the first that a soft {@code together} group spans, every {@code prefer}/{@code avoid} rule a
 * domain's host does not meet counts one. {@link LoadModel} adds {@code weight × count} to its
 * score, so a move that mends a soft rule is worth {@code weight} of balance and one that breaks
 * one costs as much; the change a move makes is found in O(rules of the domain).
 *
 * <p>Not thread-safe; its {@link LoadModel} keeps it in step.
 */
final class SoftRules {
  private final Placement placement;
  private final double weight;
  private final int[][] apart;
  private final int[][] together;
  private final int[] filter;
  private final List<int[]> misses = new ArrayList<>();
  private final int members;
  private final int togetherGroups;
  private GroupOccupancy apartOn;
  private GroupOccupancy togetherOn;
  private int[] togetherPlaced;
  private int broken;

  private SoftRules(Placement placement, double weight) {
    this.placement = placement;
    this.weight = weight;
    int domains = placement.domainCount();
    apart = new int[domains][];
    together = new int[domains][];
    filter = new int[domains];
    Map<String, Integer> apartIds = new HashMap<>();
    Map<String, Integer> togetherIds = new HashMap<>();
    Map<List<HostRule>, Integer> filterIds = new HashMap<>();
    int members = 0;
    for (int d = 0; d < domains; d++) {
      ClusterSnapshot.Domain domain = placement.snapshot().domains().get(d);
      apart[d] = GroupIds.of(domain.rules().apart(), Strength.SOFT, apartIds);
      together[d] = GroupIds.of(domain.rules().together(), Strength.SOFT, togetherIds);
      members += apart[d].length + together[d].length;
      List<HostRule> soft = new ArrayList<>();
      for (HostRule rule : domain.rules().hosts()) {
        if (rule.kind().strength() == Strength.SOFT) {
          soft.add(rule);
        }
      }
      filter[d] = soft.isEmpty() ? -1 : filterIds.computeIfAbsent(soft, this::newFilter);
    }
    this.members = members;
    togetherGroups = togetherIds.size();
    recompute();
  }

  /** The soft rules of the placement's domains, or null when there are none or weight is 0. */
  static SoftRules of(Placement placement, double weight) {
    if (weight == 0) {
      return null;
    }
    for (ClusterSnapshot.Domain domain : placement.snapshot().domains()) {
      if (hasSoft(domain)) {
        return new SoftRules(placement, weight);
      }
    }
    return null;
  }

  private static boolean hasSoft(ClusterSnapshot.Domain domain) {
    for (GroupRule rule : domain.rules().apart()) {
      if (rule.strength() == Strength.SOFT) {
        return true;
      }
    }
    for (GroupRule rule : domain.rules().together()) {
      if (rule.strength() == Strength.SOFT) {
        return true;
      }
    }
    for (HostRule rule : domain.rules().hosts()) {
      if (rule.kind().strength() == Strength.SOFT) {
        return true;
      }
    }
    return false;
  }

  private int newFilter(List<HostRule> rules) {
    int[] missed = new int[placement.hostCount()];
    for (int h = 0; h < missed.length; h++) {
      for (HostRule rule : rules) {
        missed[h] += rule.met(placement.snapshot().hosts().get(h).labels()) ? 0 : 1;
      }
    }
    misses.add(missed);
    return misses.size() - 1;
  }

  /** Recounts from the placement. */
  void recompute() {
    apartOn = new GroupOccupancy(members);
    togetherOn = new GroupOccupancy(members);
    togetherPlaced = new int[togetherGroups];
    broken = 0;
    for (int d = 0; d < placement.domainCount(); d++) {
      if (placement.holdsResources(d)) {
        broken += change(d, -1, placement.hostOf(d));
        arrive(d, placement.hostOf(d));
        for (int g : together[d]) {
          togetherPlaced[g]++;
        }
      }
    }
  }

  /** The soft rules broken now. */
  int broken() {
    return broken;
  }

  /** {@code weight × broken}: what {@link LoadModel} adds to its score. */
  double penalty() {
    return weight * broken;
  }

  /** The penalty if the domain moved; nothing changes. */
  double penaltyIfMoved(int d, int from, int to) {
    return weight * (broken + change(d, from, to));
  }

  void apply(int d, int from, int to) {
    if (!placement.holdsResources(d)) {
      return;
    }
    broken += change(d, from, to);
    leave(d, from);
    arrive(d, to);
  }

  /** How many more soft rules are broken after the move; {@code from} -1 for an arrival. */
  private int change(int d, int from, int to) {
    int delta = 0;
    for (int g : apart[d]) {
      if (from >= 0 && apartOn.count(g, from) >= 2) {
        delta--;
      }
      if (apartOn.count(g, to) >= 1) {
        delta++;
      }
    }
    for (int g : together[d]) {
      // A group spanning k hosts breaks its rule k - 1 times.
      if (from >= 0 && togetherOn.count(g, from) == 1) {
        delta--;
      }
      if (togetherOn.count(g, to) == 0 && (from >= 0 || togetherPlaced[g] > 0)) {
        delta++;
      }
    }
    if (filter[d] >= 0) {
      int[] missed = misses.get(filter[d]);
      delta += missed[to] - (from >= 0 ? missed[from] : 0);
    }
    return delta;
  }

  private void arrive(int d, int h) {
    for (int g : apart[d]) {
      apartOn.add(g, h, 1);
    }
    for (int g : together[d]) {
      togetherOn.add(g, h, 1);
    }
  }

  private void leave(int d, int h) {
    for (int g : apart[d]) {
      apartOn.add(g, h, -1);
    }
    for (int g : together[d]) {
      togetherOn.add(g, h, -1);
    }
  }
}
