package xcm.coordinator.plan;

import java.util.ArrayList;
import java.util.List;

/**
 * A policy as an operator would write one, for the plug-in tests: moves the first movable domain to
 * the first host that takes it. Public with a public constructor, as {@link
 * java.util.ServiceLoader} requires.
 */
public final class ExamplePluginPolicy implements BalancePolicy {
  @Override
  public String name() {
    return "first-movable";
  }

  @Override
  public String description() {
    return "moves the first movable domain anywhere it fits";
  }

  @Override
  public Plan plan(ClusterSnapshot snapshot, PolicyParameters parameters, PlanOptions options) {
    parameters.rejectOthers();
    Placement placement = new Placement(snapshot, options);
    List<Move> moves = new ArrayList<>();
    for (int d = 0; d < placement.domainCount() && moves.isEmpty(); d++) {
      for (int h = 0; h < placement.hostCount(); h++) {
        if (placement.canMove(d, h)) {
          moves.add(
              new Move(
                  placement.domainName(d),
                  placement.hostName(placement.hostOf(d)),
                  placement.hostName(h),
                  0,
                  0,
                  "example"));
          placement.move(d, h);
          break;
        }
      }
    }
    return new Plan(name(), "none", moves, 0, 0, moves.size(), true, List.of());
  }

  /** A careless policy: moves a pinned domain. */
  static final class MovesPinned implements BalancePolicy {
    @Override
    public String name() {
      return "moves-pinned";
    }

    @Override
    public String description() {
      return "breaks the rules";
    }

    @Override
    public Plan plan(ClusterSnapshot snapshot, PolicyParameters parameters, PlanOptions options) {
      return new Plan(
          name(), "none", List.of(new Move("vm2", "h1", "h2", 0, 0, "")), 0, 0, 1, true, List.of());
    }
  }
}
