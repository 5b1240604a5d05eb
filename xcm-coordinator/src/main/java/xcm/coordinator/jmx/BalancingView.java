package xcm.coordinator.jmx;

import java.util.List;
import javax.management.JMException;
import javax.management.MBeanServer;
import xcm.coordinator.balancing.ContinuousBalancing;
import xcm.coordinator.balancing.MigrationThreshold;
import xcm.coordinator.balancing.RoundDecision;
import xcm.coordinator.operation.Requester;
import xcm.coordinator.plan.Move;
import xcm.mbeans.AutomationLevel;
import xcm.mbeans.BalanceRound;
import xcm.mbeans.BalancingMXBean;
import xcm.mbeans.DescribedMXBean;
import xcm.mbeans.ObjectNames;
import xcm.mbeans.PlannedMove;
import xcm.serve.MBeans;

/** {@code xcm:type=Balancing}: continuous balancing's level, threshold and rounds. */
public final class BalancingView implements BalancingMXBean {
  private final ContinuousBalancing balancing;

  private BalancingView(ContinuousBalancing balancing) {
    this.balancing = balancing;
  }

  public static AutoCloseable register(MBeanServer server, ContinuousBalancing balancing)
      throws JMException {
    server.registerMBean(
        DescribedMXBean.of(new BalancingView(balancing), BalancingMXBean.class),
        ObjectNames.balancing());
    return () -> MBeans.unregister(server, ObjectNames.balancing());
  }

  @Override
  public String getAutomationLevel() {
    return balancing.settings().level().label();
  }

  @Override
  public int getMigrationThreshold() {
    return balancing.settings().threshold().level();
  }

  @Override
  public long getIntervalSeconds() {
    return balancing.settings().interval().toSeconds();
  }

  @Override
  public double getImbalance() {
    return balancing.last().map(r -> r.decision().imbalance()).orElse(0.0);
  }

  @Override
  public BalanceRound getLastRound() {
    return balancing
        .last()
        .map(r -> round(r.at().toString(), r.decision()))
        .orElse(
            new BalanceRound("", "", 0, 0, getMigrationThreshold(), 0, List.of(), "no round yet"));
  }

  @Override
  public List<PlannedMove> getRecommendation() {
    return balancing.recommendation().map(r -> moves(r.decision().moves())).orElse(List.of());
  }

  @Override
  public void changeLevel(String level) {
    balancing.level(
        AutomationLevel.of(Arguments.required(level, "changeLevel", "level")),
        Requester.ofCurrentCall());
  }

  @Override
  public void changeThreshold(int threshold) {
    balancing.threshold(new MigrationThreshold(threshold), Requester.ofCurrentCall());
  }

  @Override
  public String applyRecommendation() {
    return balancing.apply(Requester.ofCurrentCall());
  }

  @Override
  public String runRound() {
    RoundDecision decision = balancing.round();
    return decision.result().label() + ": " + decision.reason();
  }

  @Override
  public boolean getPowerSaving() {
    return balancing.powerSettings().enabled();
  }

  @Override
  public void switchPowerSaving(boolean on) {
    balancing.powerSaving(on, Requester.ofCurrentCall());
  }

  @Override
  public void wakeHost(String host) {
    balancing.wake(Arguments.required(host, "wakeHost", "host"), Requester.ofCurrentCall());
  }

  private static BalanceRound round(String at, RoundDecision d) {
    return new BalanceRound(
        at,
        d.result().label(),
        d.imbalance(),
        d.bestGain(),
        d.threshold().level(),
        d.minGain(),
        moves(d.moves()),
        d.reason());
  }

  private static List<PlannedMove> moves(List<Move> moves) {
    return moves.stream()
        .map(
            m ->
                new PlannedMove(
                    m.domain(), m.from(), m.to(), m.scoreBefore(), m.scoreAfter(), m.reason()))
        .toList();
  }
}
