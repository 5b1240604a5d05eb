package xcm.mbeans;

import java.util.List;

/**
 * {@code xcm:type=Balancing} on the coordinator: continuous balancing's level, threshold and
 * rounds.
 */
@Description(
    "Continuous balancing: the automation level (off, manual, full), the migration threshold (1"
        + " conservative to 5 aggressive), each round's decision, the standing recommendation and"
        + " power saving")
public interface BalancingMXBean {
  @Description("off (no rounds), manual (rounds recommend) or full (rounds move)")
  String getAutomationLevel();

  @Description(
      "1 (conservative) to 5 (aggressive): the least imbalance that starts a round and the least"
          + " gain a move must bring (docs/continuous-balancing.md)")
  int getMigrationThreshold();

  @Description("Seconds between rounds")
  long getIntervalSeconds();

  @Description("The cluster's imbalance at the last round: CPU plus memory utilisation spread")
  double getImbalance();

  @Description("The last round: when, its result, the imbalance, the best gain, why")
  BalanceRound getLastRound();

  @Description("At level manual, the moves the last round recommends; empty otherwise")
  List<PlannedMove> getRecommendation();

  @Description("Sets the automation level: off, manual or full")
  void changeLevel(@Param(name = "level", value = "off, manual or full") String level);

  @Description("Sets the migration threshold, 1 (conservative) to 5 (aggressive)")
  void changeThreshold(@Param(name = "threshold", value = "1 to 5") int threshold);

  @Description(
      "Runs the standing recommendation as a balance, if it still fits the cluster; returns the"
          + " operation id")
  String applyRecommendation();

  @Description("Runs a round now, as the schedule would; returns its result and reason")
  String runRound();

  @Description(
      "True when power saving is on: at level full, rounds empty hosts into STANDBY while the rest"
          + " hold peak demand within the targets, and wake them when it crosses the high-water"
          + " marks")
  boolean getPowerSaving();

  @Description("Turns power saving on or off")
  void switchPowerSaving(@Param(name = "on", value = "true: on") boolean on);

  @Description(
      "Powers a STANDBY host on (through its power hook) and makes it ACTIVE once its agent"
          + " answers")
  void wakeHost(@Param(name = "host", value = "host name") String host);
}
