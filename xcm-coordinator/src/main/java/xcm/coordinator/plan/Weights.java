package xcm.coordinator.plan;

/**
 * Weights of the parts of the weighted score: the standard deviations over ACTIVE hosts of memory
 * utilisation, CPU load and vCPU/CPU ratio, and the soft placement rules broken ({@link
 * SoftRules}): a broken soft rule counts as much as {@code soft} of standard deviation. Immutable
 * and thread-safe.
 */
public record Weights(double memory, double cpu, double vcpu, double soft) {
  /**
   * A broken soft rule weighs as much as five points of one metric's standard deviation: enough to
   * keep a preference when balance is near, not enough to crowd one host for it.
   */
  public static final double DEFAULT_SOFT = 0.05;

  /** Equal weights, as hbal weighs its components, and the default weight of soft rules. */
  public static final Weights EQUAL = new Weights(1, 1, 1);

  /** Weights with soft rules at {@link #DEFAULT_SOFT}. */
  public Weights(double memory, double cpu, double vcpu) {
    this(memory, cpu, vcpu, DEFAULT_SOFT);
  }

  public Weights {
    check("memory", memory);
    check("cpu", cpu);
    check("vcpu", vcpu);
    check("soft", soft);
    if (memory + cpu + vcpu == 0) {
      throw new IllegalArgumentException("at least one weight must be above 0");
    }
  }

  double get(int metric) {
    return switch (metric) {
      case LoadModel.MEMORY -> memory;
      case LoadModel.CPU -> cpu;
      default -> vcpu;
    };
  }

  private static void check(String name, double value) {
    if (!(value >= 0) || Double.isInfinite(value)) {
      throw new IllegalArgumentException(
          "weight " + name + " must be a finite number >= 0, found: " + value);
    }
  }
}
