package xcm.coordinator.balancing;

/**
 * The power-saving policy's targets. Hosts are emptied while the rest can hold the demand at the
 * targets with {@code spareHosts} to spare, and brought back when demand crosses the high-water
 * marks; the gap between target and high-water mark keeps a host from going back and forth.
 * Immutable and thread-safe.
 *
 * @param enabled false leaves every host's power alone
 * @param targetCpu the CPU utilisation the remaining hosts may reach on peak demand once one is
 *     emptied, 0..1
 * @param targetMemory the same for memory
 * @param highWaterCpu the CPU utilisation of peak demand on the ACTIVE hosts (less the spares) that
 *     brings a STANDBY host back, above {@code targetCpu}
 * @param highWaterMemory the same for memory, above {@code targetMemory}
 * @param spareHosts how many of the largest ACTIVE hosts the targets leave out: room to lose one
 * @param peakFactor the peak demand is the mean plus this many standard deviations
 */
public record PowerSettings(
    boolean enabled,
    double targetCpu,
    double targetMemory,
    double highWaterCpu,
    double highWaterMemory,
    int spareHosts,
    double peakFactor) {

  public PowerSettings {
    share("targetCpu", targetCpu);
    share("targetMemory", targetMemory);
    share("highWaterCpu", highWaterCpu);
    share("highWaterMemory", highWaterMemory);
    if (highWaterCpu <= targetCpu || highWaterMemory <= targetMemory) {
      throw new IllegalArgumentException(
          "the high-water marks ("
              + highWaterCpu
              + " CPU, "
              + highWaterMemory
              + " memory) must lie above the targets ("
              + targetCpu
              + ", "
              + targetMemory
              + "), or hosts would go back and forth");
    }
    if (spareHosts < 0 || spareHosts > 100) {
      throw new IllegalArgumentException("spareHosts must be 0 to 100, found: " + spareHosts);
    }
    if (!(peakFactor >= 0 && peakFactor <= 10)) {
      throw new IllegalArgumentException("peakFactor must be 0 to 10, found: " + peakFactor);
    }
  }

  /** Off; when on: CPU 70% target / 85% high water, memory 80% / 90%, one spare, peak mean + 2σ. */
  public static PowerSettings defaults() {
    return new PowerSettings(false, 0.70, 0.80, 0.85, 0.90, 1, 2.0);
  }

  public PowerSettings withEnabled(boolean on) {
    return new PowerSettings(
        on, targetCpu, targetMemory, highWaterCpu, highWaterMemory, spareHosts, peakFactor);
  }

  private static void share(String name, double value) {
    if (!(value > 0 && value <= 1)) {
      throw new IllegalArgumentException(name + " must be above 0 and at most 1, found: " + value);
    }
  }
}
