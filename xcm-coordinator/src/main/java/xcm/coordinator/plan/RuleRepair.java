package xcm.coordinator.plan;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The first part of every balance plan: moves that mend hard rules found broken — two members of an
 * {@code apart} group on one host, a VM on a host its {@code on}/{@code not-on} rules exclude, a
 * {@code together} group spread over hosts (after a VM was placed by hand, or labels changed) —
 * with as few moves as it can find, each saying which rule it mends.
 *
 * <p>When few VMs are involved (at most {@value #EXACT_LIMIT}, counting the VMs that share a hard
 * group with them, which may have to make way) the moves come from an exhaustive search by
 * increasing length, so they are the fewest among moves of those VMs; otherwise, or when that
 * search runs out of its budget, from a greedy pass. Moves follow {@link Placement}'s constraints,
 * so a repair never breaks another hard rule; what cannot be mended is said in the notes.
 *
 * <p>Pure and stateless.
 */
final class RuleRepair {
  static final int EXACT_LIMIT = 8;
  private static final int MAX_DEPTH = 8;
  private static final long NODE_BUDGET = 400_000;

  /** What the repair does; {@code minimal} when an exhaustive search proved the moves fewest. */
  record Outcome(List<Move> moves, List<String> notes, boolean minimal) {}

  private RuleRepair() {}

  static Outcome plan(ClusterSnapshot snapshot, PlanOptions options) {
    Placement placement = new Placement(snapshot, options);
    List<String> notes = new ArrayList<>();
    if (violations(placement) == 0) {
      return new Outcome(List.of(), notes, true);
    }
    int[] involved = withGroupMembers(placement, involved(placement));
    List<int[]> steps = null;
    boolean minimal = false;
    if (involved.length <= EXACT_LIMIT) {
      steps = exact(placement, involved);
      minimal = steps != null;
    }
    if (steps == null) {
      steps = greedy(placement);
    } else {
      for (int[] step : steps) {
        placement.move(step[0], step[1]);
      }
    }
    List<Move> moves = new ArrayList<>();
    Placement replay = new Placement(snapshot, options);
    for (int[] step : steps) {
      String reason = "mends " + mended(replay, step[0]);
      moves.add(
          new Move(
              replay.domainName(step[0]),
              replay.hostName(replay.hostOf(step[0])),
              replay.hostName(step[1]),
              0,
              0,
              reason));
      replay.move(step[0], step[1]);
    }
    for (String broken : broken(placement)) {
      notes.add(broken + " stays broken: no allowed move mends it");
    }
    if (!moves.isEmpty()) {
      notes.add(
          moves.size()
              + " moves mend broken hard rules first"
              + (minimal ? " (the fewest that can)" : ""));
    }
    return new Outcome(moves, notes, minimal || moves.isEmpty());
  }

  /** The number of broken hard rules, counted so that every mending move lowers it. */
  static int violations(Placement placement) {
    HardRules rules = placement.rules();
    int count = 0;
    for (int d = 0; d < placement.domainCount(); d++) {
      if (placement.holdsResources(d) && !rules.hostAllowed(d, placement.hostOf(d))) {
        count++;
      }
    }
    for (int g = 0; g < rules.apartCount(); g++) {
      int[] members = rules.apartMembers(g);
      count += members.length - hosts(placement, members).size();
    }
    for (int g = 0; g < rules.togetherCount(); g++) {
      count += Math.max(0, hosts(placement, rules.togetherMembers(g)).size() - 1);
    }
    return count;
  }

  /** The hosts the domains are on now. */
  private static Set<Integer> hosts(Placement placement, int[] domains) {
    Set<Integer> hosts = new LinkedHashSet<>();
    for (int d : domains) {
      hosts.add(placement.hostOf(d));
    }
    return hosts;
  }

  /** Each broken rule once, e.g. {@code rule 'apart db' on h1}. */
  static List<String> broken(Placement placement) {
    HardRules rules = placement.rules();
    Set<String> out = new LinkedHashSet<>();
    for (int d = 0; d < placement.domainCount(); d++) {
      if (placement.holdsResources(d) && !rules.hostAllowed(d, placement.hostOf(d))) {
        out.add(
            placement.domainName(d)
                + "'s host rule (it is on "
                + placement.hostName(placement.hostOf(d))
                + ")");
      }
    }
    for (int g = 0; g < rules.apartCount(); g++) {
      for (int d : rules.apartMembers(g)) {
        if (rules.apartOn(g, placement.hostOf(d)) > 1) {
          out.add(
              "rule 'apart "
                  + rules.apartName(g)
                  + "' on "
                  + placement.hostName(placement.hostOf(d)));
        }
      }
    }
    for (int g = 0; g < rules.togetherCount(); g++) {
      int spread = hosts(placement, rules.togetherMembers(g)).size();
      if (spread > 1) {
        out.add("rule 'together " + rules.togetherName(g) + "' (on " + spread + " hosts)");
      }
    }
    return new ArrayList<>(out);
  }

  /** The rules a move of the domain off its host mends, in words. */
  private static String mended(Placement placement, int d) {
    HardRules rules = placement.rules();
    int h = placement.hostOf(d);
    List<String> what = new ArrayList<>();
    if (!rules.hostAllowed(d, h)) {
      what.add("its host rules (" + placement.hostName(h) + " is excluded)");
    }
    for (int g : rules.apartGroups(d)) {
      if (rules.apartOn(g, h) > 1) {
        what.add("rule 'apart " + rules.apartName(g) + "'");
      }
    }
    for (int g : rules.togetherGroups(d)) {
      if (rules.togetherOn(g, h) < rules.togetherSize(g)) {
        what.add("rule 'together " + rules.togetherName(g) + "'");
      }
    }
    return what.isEmpty() ? "broken hard rules" : String.join(", ", what);
  }

  /** Running, movable domains that take part in a broken rule. */
  private static int[] involved(Placement placement) {
    HardRules rules = placement.rules();
    List<Integer> out = new ArrayList<>();
    for (int d = 0; d < placement.domainCount(); d++) {
      if (placement.movable(d) && takesPart(placement, rules, d)) {
        out.add(d);
      }
    }
    return out.stream().mapToInt(Integer::intValue).toArray();
  }

  /**
   * The involved domains and the movable members of their hard groups: a member elsewhere may have
   * to make way (leave the one host a misplaced VM may go to) before a rule can be mended.
   */
  private static int[] withGroupMembers(Placement placement, int[] involved) {
    HardRules rules = placement.rules();
    java.util.BitSet apart = new java.util.BitSet();
    java.util.BitSet together = new java.util.BitSet();
    Set<Integer> out = new LinkedHashSet<>();
    for (int d : involved) {
      out.add(d);
      for (int g : rules.apartGroups(d)) {
        apart.set(g);
      }
      for (int g : rules.togetherGroups(d)) {
        together.set(g);
      }
    }
    for (int d = 0; d < placement.domainCount(); d++) {
      if (!placement.movable(d) || out.contains(d)) {
        continue;
      }
      boolean member = false;
      for (int g : rules.apartGroups(d)) {
        member |= apart.get(g);
      }
      for (int g : rules.togetherGroups(d)) {
        member |= together.get(g);
      }
      if (member) {
        out.add(d);
      }
    }
    return out.stream().mapToInt(Integer::intValue).toArray();
  }

  private static boolean takesPart(Placement placement, HardRules rules, int d) {
    int h = placement.hostOf(d);
    if (!rules.hostAllowed(d, h)) {
      return true;
    }
    for (int g : rules.apartGroups(d)) {
      if (rules.apartOn(g, h) > 1) {
        return true;
      }
    }
    for (int g : rules.togetherGroups(d)) {
      if (rules.togetherOn(g, h) < rules.togetherSize(g)) {
        return true;
      }
    }
    return false;
  }

  /** Fewest moves of the involved domains that mend every rule; null if none within the budget. */
  private static List<int[]> exact(Placement placement, int[] involved) {
    long[] nodes = {0};
    for (int depth = 1; depth <= Math.min(MAX_DEPTH, involved.length); depth++) {
      List<int[]> path = new ArrayList<>();
      if (search(placement, involved, depth, path, nodes)) {
        // The search leaves the placement as it found it.
        return path;
      }
      if (nodes[0] > NODE_BUDGET) {
        return null;
      }
    }
    return null;
  }

  private static boolean search(
      Placement placement, int[] involved, int left, List<int[]> path, long[] nodes) {
    if (violations(placement) == 0) {
      return true;
    }
    if (left == 0 || ++nodes[0] > NODE_BUDGET) {
      return false;
    }
    for (int d : involved) {
      if (placement.moved(d)) {
        continue;
      }
      int from = placement.hostOf(d);
      for (int to = 0; to < placement.hostCount(); to++) {
        if (!placement.canMove(d, to)) {
          continue;
        }
        placement.move(d, to);
        path.add(new int[] {d, to});
        boolean done = search(placement, involved, left - 1, path, nodes);
        if (done) {
          placement.relocate(d, from);
          return true;
        }
        path.remove(path.size() - 1);
        placement.relocate(d, from);
      }
    }
    return false;
  }

  /**
   * Single moves that mend the most first (to the allowed host with the most free memory), then
   * each spread together group gathered on the host that holds most of it and has room.
   */
  private static List<int[]> greedy(Placement placement) {
    HardRules rules = placement.rules();
    List<int[]> steps = new ArrayList<>();
    boolean progress = true;
    while (progress && violations(placement) > 0) {
      progress = false;
      for (int d : involved(placement)) {
        int h = placement.hostOf(d);
        boolean mends = !rules.hostAllowed(d, h);
        for (int g : rules.apartGroups(d)) {
          mends |= rules.apartOn(g, h) > 1;
        }
        for (int g : rules.togetherGroups(d)) {
          mends |= rules.togetherOn(g, h) == 1 && rules.togetherSize(g) > 1;
        }
        if (!mends || !placement.movable(d)) {
          continue;
        }
        int best = -1;
        for (int to = 0; to < placement.hostCount(); to++) {
          if (placement.canMove(d, to)
              && (best < 0 || placement.freeBytes(to) > placement.freeBytes(best))) {
            best = to;
          }
        }
        if (best >= 0) {
          steps.add(new int[] {d, best});
          placement.move(d, best);
          progress = true;
        }
      }
      progress |= gatherOne(placement, steps);
    }
    return steps;
  }

  /** Gathers one spread together group where it takes fewest moves; false if none can be. */
  private static boolean gatherOne(Placement placement, List<int[]> steps) {
    HardRules rules = placement.rules();
    for (int g = 0; g < rules.togetherCount(); g++) {
      int[] members = rules.togetherMembers(g);
      int bestHost = -1;
      int bestCount = 0;
      for (int h : hosts(placement, members)) {
        int count = rules.togetherOn(g, h);
        if (count > bestCount && count < members.length && placement.accepting(h)) {
          bestCount = count;
          bestHost = h;
        }
      }
      if (bestHost < 0) {
        continue;
      }
      List<int[]> tried = new ArrayList<>();
      boolean ok = true;
      for (int d : members) {
        if (!ok || placement.hostOf(d) == bestHost) {
          continue;
        }
        if (placement.canMove(d, bestHost)) {
          tried.add(new int[] {d, placement.hostOf(d)});
          placement.move(d, bestHost);
          steps.add(new int[] {d, bestHost});
        } else {
          ok = false;
        }
      }
      if (ok && !tried.isEmpty()) {
        return true;
      }
      for (int i = tried.size() - 1; i >= 0; i--) {
        placement.relocate(tried.get(i)[0], tried.get(i)[1]);
        steps.remove(steps.size() - 1);
      }
    }
    return false;
  }
}
