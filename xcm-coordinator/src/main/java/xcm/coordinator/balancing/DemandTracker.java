package xcm.coordinator.balancing;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Each domain's CPU demand smoothed over a window, so that balancing follows what a domain keeps
 * doing rather than its last sample: an exponentially weighted mean and variance per domain, with
 * weights by elapsed time (a sample after a long gap counts more), so the same window holds at any
 * collection interval.
 *
 * <p>Demand is in CPUs kept busy (busy fraction × vCPUs). The variance is what makes moves safe:
 * {@link ContinuousBalancer} refuses a move whose gain lies within it.
 *
 * <p>Not thread-safe: one collector feeds it; readers take {@link #estimate}s from the same thread
 * or copy them out.
 */
public final class DemandTracker {
  /** A domain's smoothed demand: the mean and the standard deviation of its samples, in CPUs. */
  public record Demand(double mean, double deviation) {
    /** A high estimate, {@code mean + z × deviation}: what headroom must hold. */
    public double peak(double z) {
      return mean + z * deviation;
    }
  }

  private static final class State {
    double mean;
    double variance;
    long atMillis;
  }

  private final double windowMillis;
  private final Map<String, State> states = new HashMap<>();

  /** Smooths over {@code window}: a sample's weight falls by e each window that passes. */
  public DemandTracker(Duration window) {
    if (window.isNegative() || window.isZero()) {
      throw new IllegalArgumentException("demand window must be above 0, found: " + window);
    }
    windowMillis = window.toMillis();
  }

  /** Takes one sample of a domain's demand, in CPUs, taken at {@code atMillis}. */
  public void observe(String domain, double cpus, long atMillis) {
    if (!(cpus >= 0) || Double.isInfinite(cpus)) {
      throw new IllegalArgumentException(
          "domain \"" + domain + "\": demand must be a finite number >= 0, found: " + cpus);
    }
    State state = states.get(domain);
    if (state == null) {
      state = new State();
      state.mean = cpus;
      state.atMillis = atMillis;
      states.put(domain, state);
      return;
    }
    long elapsed = atMillis - state.atMillis;
    if (elapsed <= 0) {
      return;
    }
    double alpha = -Math.expm1(-elapsed / windowMillis);
    double diff = cpus - state.mean;
    state.mean += alpha * diff;
    state.variance = (1 - alpha) * (state.variance + alpha * diff * diff);
    state.atMillis = atMillis;
  }

  /** Forgets every domain not named: those gone from the cluster. */
  public void retain(Set<String> domains) {
    states.keySet().retainAll(domains);
  }

  /** The domain's smoothed demand, or {@code fallback} with no deviation if it was never seen. */
  public Demand estimate(String domain, double fallback) {
    State state = states.get(domain);
    return state == null
        ? new Demand(fallback, 0)
        : new Demand(state.mean, Math.sqrt(state.variance));
  }

  /** How many domains it follows. */
  public int size() {
    return states.size();
  }
}
