package xcm.coordinator.operation;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import xcm.coordinator.inventory.ClusterSnapshot;
import xcm.coordinator.plan.RuleCheck;

/**
 * A manual migration against the placement rules: refused naming the hard rule it would break,
 * unless the operator forces it, and then the move says so.
 */
final class MigrationRules {
  private MigrationRules() {}

  /**
   * The reason the move carries: {@code asked for}, or, when forced past a rule, which one.
   *
   * @param held domains (by UUID) that moves hold now, with their source hosts
   * @throws IllegalArgumentException naming the rule when the migration would break one unforced
   */
  static String reason(
      ClusterSnapshot cluster,
      long reservedMemoryBytes,
      Map<String, String> held,
      OperationKind.Migrate migrate) {
    Optional<String> broken;
    try {
      broken =
          RuleCheck.migrationBreaks(
              PlanningInput.of(cluster, reservedMemoryBytes, Map.of(), held, Instant.EPOCH),
              migrate.domain(),
              migrate.toHost());
    } catch (IllegalStateException e) {
      broken = Optional.of("its placement rules cannot be checked now: " + e.getMessage());
    }
    if (broken.isEmpty()) {
      return "asked for";
    }
    if (!migrate.forced()) {
      throw new IllegalArgumentException(
          "cannot migrate "
              + migrate.domain()
              + " to "
              + migrate.toHost()
              + ": "
              + broken.get()
              + " (an operator who means it migrates with force: ./xcm migrate --force)");
    }
    return "asked for, forced past a hard rule: " + broken.get();
  }
}
