package xcm.bench.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.time.Duration;
import xcm.bench.CoordinatorJolokia;
import xcm.client.Endpoint;
import xcm.client.JolokiaException;
import xcm.client.Request;
import xcm.mbeans.Attributes;
import xcm.mbeans.LeadershipMXBean;
import xcm.mbeans.ObjectNames;

/**
 * A takeover at scale: with the standby collecting the whole fleet too, the active coordinator is
 * killed ({@code kill -9}); measured are the time until the standby's {@code xcm:type=Leadership}
 * says {@code Acting=true}, and until the first collection round it completes after that, with how
 * many hosts that round found ACTIVE.
 *
 * <p>Thread-safe: stateless.
 */
final class TakeoverRun {
  private static final String ACTING =
      Attributes.name(LeadershipMXBean.class, LeadershipMXBean::isActing);
  private static final String LEASE_REMAINING =
      Attributes.name(LeadershipMXBean.class, LeadershipMXBean::getLeaseRemainingMillis);

  private TakeoverRun() {}

  /**
   * What was measured: seconds from the kill to Acting=true and to the end of the first round after
   * it (NaN when not within the wait), and the hosts ACTIVE after that round.
   */
  record Result(double actingSeconds, double roundSeconds, int activeHosts, int hosts) {
    @Override
    public String toString() {
      if (Double.isNaN(actingSeconds)) {
        return "the standby did not act within the wait";
      }
      return String.format(
          "Acting=true %.1f s after kill -9 of the active; its first complete round after that"
              + " %s",
          actingSeconds,
          Double.isNaN(roundSeconds)
              ? "did not end within the wait"
              : String.format(
                  "ended %.1f s after the kill, %,d of %,d hosts ACTIVE",
                  roundSeconds, activeHosts, hosts));
    }
  }

  /**
   * Kills {@code active} and follows {@code standby} until it has acted and collected once.
   *
   * @param patience how long each step may take
   */
  static Result kill(
      PrintStream out,
      Process active,
      Endpoint standby,
      CoordinatorJolokia standbyCollection,
      int hosts,
      Duration patience)
      throws InterruptedException, JolokiaException {
    if (acting(standby)) {
      throw new IllegalStateException("the standby acts before the active was killed");
    }
    out.printf(
        "  killing the active (kill -9); the standby reads its lease %d ms from running out%n",
        standby.send(Request.read(ObjectNames.leadership(), LEASE_REMAINING)).asLong());
    long killed = System.nanoTime();
    active.destroyForcibly();
    long deadline = killed + patience.toNanos();
    while (!acting(standby)) {
      if (System.nanoTime() > deadline) {
        return new Result(Double.NaN, Double.NaN, 0, hosts);
      }
      Thread.sleep(50);
    }
    double acting = since(killed);
    long round = standbyCollection.collection().rounds();
    deadline = System.nanoTime() + patience.toNanos();
    CoordinatorJolokia.Collection c = standbyCollection.collection();
    while (c.rounds() <= round) {
      if (System.nanoTime() > deadline) {
        return new Result(acting, Double.NaN, c.activeHosts(), hosts);
      }
      Thread.sleep(50);
      c = standbyCollection.collection();
    }
    return new Result(acting, since(killed), c.activeHosts(), hosts);
  }

  private static boolean acting(Endpoint coordinator) throws InterruptedException {
    try {
      JsonNode acting = coordinator.send(Request.read(ObjectNames.leadership(), ACTING));
      return acting.asBoolean(false);
    } catch (JolokiaException e) {
      // Busy taking over: asked again.
      return false;
    }
  }

  private static double since(long nanos) {
    return (System.nanoTime() - nanos) / 1e9;
  }
}
