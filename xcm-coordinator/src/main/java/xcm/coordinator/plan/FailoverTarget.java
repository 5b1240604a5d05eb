package xcm.coordinator.plan;

/**
 * What failover capacity a cluster keeps: the host failures it must absorb with every VM restarted,
 * and how full of CPU load restarts may make a host.
 *
 * @param level host failures to absorb; 0 asks for none
 * @param cpuPercent the restart CPU limit, as {@link RestartPlanner#place} takes it
 */
public record FailoverTarget(int level, int cpuPercent) {
  public FailoverTarget {
    if (level < 0) {
      throw new IllegalArgumentException("failover level must not be negative: " + level);
    }
    if (cpuPercent <= 0) {
      throw new IllegalArgumentException("the restart CPU limit must be above 0%: " + cpuPercent);
    }
  }
}
