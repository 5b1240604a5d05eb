package xcm.coordinator.plan;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;

/**
 * The seed paper's policy: no ACTIVE host holds more than X domains, X = floor(D/N) + 1 (parameter
 * {@code target=paper}, the default) or X = ceil(D/N) ({@code target=strict}), where D counts the
 * resource-holding domains on the N ACTIVE hosts. Domains on other hosts are neither counted nor
 * moved.
 *
 * <p>The score is the excess Σ max(0, count − X). Every move takes a domain from the fullest host
 * above X to the emptiest host below X, so it lowers the excess by exactly one and the plan has
 * exactly the minimum number of moves, which is the excess itself. From each full host it moves the
 * domain with the least memory that fits somewhere below X: the cheapest to migrate and the easiest
 * to place. When pinned or cooling-down domains, memory or anti-affinity leave a host above X, the
 * plan says so ({@code targetReached=false}, with the reason per host) and stays minimal for the
 * excess it does remove. Soft placement rules do not change the count; among the first moves that
 * lower it, the one that leaves fewest soft rules broken is taken.
 *
 * <p>Stateless and thread-safe.
 */
public final class DomainCountPolicy implements BalancePolicy {
  public static final String NAME = "domain-count";
  static final String SCORE = "domains-above-target";
  private static final int EMPTIEST_TRIED = 8;
  private static final int STUCK_HOSTS_NAMED = 10;
  private static final int SOFT_CHOICES = 16;

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "at most X domains per ACTIVE host: X = floor(D/N)+1 (target=paper) or ceil(D/N)"
        + " (target=strict); exactly the minimum number of moves";
  }

  @Override
  public Plan plan(ClusterSnapshot snapshot, PolicyParameters parameters, PlanOptions options) {
    Target rule = Target.read(parameters);
    parameters.rejectOthers();
    Placement placement = new Placement(snapshot, options);
    int hosts = placement.hostCount();
    int active = 0;
    int counted = 0;
    int elsewhere = 0;
    for (int h = 0; h < hosts; h++) {
      if (placement.accepting(h)) {
        active++;
        counted += placement.domainsOn(h);
      } else {
        elsewhere += placement.domainsOn(h);
      }
    }
    List<String> notes = new ArrayList<>();
    BalanceNotes.ignored(snapshot, placement, elsewhere, notes);
    if (active == 0) {
      notes.add("no ACTIVE host: nothing to balance");
      return new Plan(NAME, SCORE, List.of(), 0, 0, 0, true, notes);
    }
    int target = rule.limit(counted, active);
    int[] count = new int[hosts];
    int excess = 0;
    for (int h = 0; h < hosts; h++) {
      if (placement.accepting(h)) {
        count[h] = placement.domainsOn(h);
        excess += Math.max(0, count[h] - target);
      }
    }
    int initialExcess = excess;
    // Fullest first as sources; emptiest first, then most free memory, as destinations.
    TreeSet<Integer> over =
        new TreeSet<>((a, b) -> count[a] != count[b] ? count[b] - count[a] : a - b);
    TreeSet<Integer> under =
        new TreeSet<>(
            (a, b) -> {
              if (count[a] != count[b]) {
                return count[a] - count[b];
              }
              int free = Long.compare(placement.freeBytes(b), placement.freeBytes(a));
              return free != 0 ? free : a - b;
            });
    // The same hosts below target by free memory, roomiest first, for domains that fit only there.
    TreeSet<Integer> roomiest =
        new TreeSet<>(
            (a, b) -> {
              int free = Long.compare(placement.freeBytes(b), placement.freeBytes(a));
              return free != 0 ? free : a - b;
            });
    for (int h = 0; h < hosts; h++) {
      if (placement.accepting(h) && count[h] > target) {
        over.add(h);
      } else if (placement.accepting(h) && count[h] < target) {
        under.add(h);
        roomiest.add(h);
      }
    }
    List<Move> moves = new ArrayList<>();
    List<Integer> stuck = new ArrayList<>();
    SoftRules soft = SoftRules.of(placement, 1);
    int softBefore = soft == null ? 0 : soft.broken();
    while (!over.isEmpty()) {
      int from = over.pollFirst();
      int[] choice = cheapestPlaceable(placement, from, under, roomiest, soft);
      if (choice == null) {
        stuck.add(from);
        continue;
      }
      int d = choice[0];
      int to = choice[1];
      under.remove(to);
      roomiest.remove(to);
      String reason =
          placement.hostName(from)
              + " holds "
              + count[from]
              + " domains, above the target of "
              + target
              + "; "
              + placement.hostName(to)
              + " holds "
              + count[to];
      if (soft != null) {
        soft.apply(d, from, to);
      }
      placement.move(d, to);
      count[from]--;
      count[to]++;
      moves.add(
          new Move(
              placement.domainName(d),
              placement.hostName(from),
              placement.hostName(to),
              excess,
              excess - 1,
              reason));
      excess--;
      if (count[from] > target) {
        over.add(from);
      }
      if (count[to] < target) {
        under.add(to);
        roomiest.add(to);
      }
    }
    boolean reached = excess == 0;
    notes.add(
        "target X = "
            + rule.formula
            + " = "
            + target
            + " with D = "
            + counted
            + " domains on N = "
            + active
            + " ACTIVE hosts");
    if (softBefore > 0) {
      notes.add(
          "soft rules broken: "
              + softBefore
              + " before, "
              + soft.broken()
              + " after (among equal moves, those that keep soft rules are chosen)");
    }
    if (!reached) {
      notes.add(
          "target not reached: "
              + excess
              + " domains stay above it; reaching it needs at least "
              + initialExcess
              + " moves, the constraints allow "
              + moves.size());
      for (int h : stuck.subList(0, Math.min(stuck.size(), STUCK_HOSTS_NAMED))) {
        notes.add(whyStuck(placement, h, count[h], target, under));
      }
      if (stuck.size() > STUCK_HOSTS_NAMED) {
        notes.add("and " + (stuck.size() - STUCK_HOSTS_NAMED) + " more hosts above target");
      }
    }
    return new Plan(NAME, SCORE, moves, initialExcess, excess, moves.size(), reached, notes);
  }

  /** How X is set, by the {@code target} parameter. */
  private enum Target {
    PAPER("paper", "floor(D/N) + 1"),
    STRICT("strict", "ceil(D/N)");

    private final String parameter;
    private final String formula;

    Target(String parameter, String formula) {
      this.parameter = parameter;
      this.formula = formula;
    }

    /** The target the parameters name; {@code paper} when they name none. */
    static Target read(PolicyParameters parameters) {
      String chosen =
          parameters.choice(
              "target", PAPER.parameter, Arrays.stream(values()).map(t -> t.parameter).toList());
      return Arrays.stream(values()).filter(t -> t.parameter.equals(chosen)).findFirst().get();
    }

    /** X for {@code domains} domains on {@code hosts} ACTIVE hosts, {@code hosts > 0}. */
    int limit(int domains, int hosts) {
      return switch (this) {
        case PAPER -> domains / hosts + 1;
        case STRICT -> (domains + hosts - 1) / hosts;
      };
    }
  }

  /**
   * The least-memory movable domain of the host that fits on a host below target, and that host:
   * the emptiest of the first few below target, else the roomiest that fits. With soft rules, the
   * first {@value #SOFT_CHOICES} such moves are weighed and the one that leaves fewest soft rules
   * broken wins (the earliest among equals): every move still lowers the excess by one.
   */
  private static int[] cheapestPlaceable(
      Placement placement,
      int from,
      TreeSet<Integer> under,
      TreeSet<Integer> roomiest,
      SoftRules soft) {
    if (soft == null) {
      return firstPlaceable(placement, from, under, roomiest, 1).stream().findFirst().orElse(null);
    }
    int[] best = null;
    double bestPenalty = Double.MAX_VALUE;
    for (int[] choice : firstPlaceable(placement, from, under, roomiest, SOFT_CHOICES)) {
      double penalty = soft.penaltyIfMoved(choice[0], from, choice[1]);
      if (penalty < bestPenalty) {
        bestPenalty = penalty;
        best = choice;
      }
    }
    return best;
  }

  /** Up to {@code wanted} allowed moves off the host, in the order of preference above. */
  private static List<int[]> firstPlaceable(
      Placement placement,
      int from,
      TreeSet<Integer> under,
      TreeSet<Integer> roomiest,
      int wanted) {
    List<int[]> found = new ArrayList<>();
    if (roomiest.isEmpty()) {
      return found;
    }
    int[] domains = placement.domainsOnHost(from);
    Integer[] bySize = new Integer[domains.length];
    int n = 0;
    for (int d : domains) {
      if (placement.movable(d)) {
        bySize[n++] = d;
      }
    }
    Integer[] candidates = Arrays.copyOf(bySize, n);
    Arrays.sort(
        candidates, (a, b) -> Long.compare(placement.memoryBytes(a), placement.memoryBytes(b)));
    long mostFree = placement.freeBytes(roomiest.first());
    for (int d : candidates) {
      if (placement.memoryBytes(d) > mostFree) {
        break;
      }
      int tried = 0;
      for (int to : under) {
        if (++tried > EMPTIEST_TRIED) {
          break;
        }
        if (placement.canMove(d, to)) {
          found.add(new int[] {d, to});
          if (found.size() == wanted) {
            return found;
          }
        }
      }
      for (int to : roomiest) {
        if (placement.freeBytes(to) < placement.memoryBytes(d)) {
          break;
        }
        if (placement.canMove(d, to) && !contains(found, d, to)) {
          found.add(new int[] {d, to});
          if (found.size() == wanted) {
            return found;
          }
        }
      }
    }
    return found;
  }

  private static boolean contains(List<int[]> found, int d, int to) {
    for (int[] choice : found) {
      if (choice[0] == d && choice[1] == to) {
        return true;
      }
    }
    return false;
  }

  private static String whyStuck(
      Placement placement, int h, int count, int target, TreeSet<Integer> under) {
    int pinned = 0;
    int cooling = 0;
    int nowhere = 0;
    for (int i = 0; i < placement.domainsOn(h); i++) {
      int d = placement.domainOn(h, i);
      ClusterSnapshot.Domain domain = placement.snapshot().domains().get(d);
      if (domain.stays()) {
        pinned++;
      } else if (placement.options().coolingDown(domain)) {
        cooling++;
      } else if (placement.movable(d)) {
        nowhere++;
      }
    }
    return "host "
        + placement.hostName(h)
        + " keeps "
        + count
        + " domains (target "
        + target
        + "): "
        + pinned
        + " pinned, "
        + cooling
        + " cooling down, "
        + nowhere
        + " fit on none of the "
        + under.size()
        + " hosts below target (memory or anti-affinity)";
  }
}
