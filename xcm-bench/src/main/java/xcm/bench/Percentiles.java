package xcm.bench;

import java.util.Arrays;

/** Latencies of repeated calls, in milliseconds, and their percentiles. Immutable. */
public final class Percentiles {
  private final double[] millis;

  public Percentiles(double[] millis) {
    this.millis = millis.clone();
    Arrays.sort(this.millis);
  }

  /** Nearest-rank percentile, {@code p} in 0..100. */
  public double at(double p) {
    int rank = (int) Math.ceil(p / 100.0 * millis.length);
    return millis[Math.max(0, Math.min(millis.length - 1, rank - 1))];
  }

  public int count() {
    return millis.length;
  }

  @Override
  public String toString() {
    return String.format("p50 %7.2f ms   p99 %7.2f ms   (n=%d)", at(50), at(99), count());
  }
}
