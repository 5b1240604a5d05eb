package xcm.coordinator.plan;

/**
 * Weights of the three parts of the weighted score: the standard deviations over ACTIVE hosts of
 * memory utilisation, CPU load and vCPU/CPU ratio. Immutable and thread-safe.
 */
public record Weights(double memory, double cpu, double vcpu) {
  /** Equal weights, as hbal weighs its components. */
  public static final Weights EQUAL = new Weights(1, 1, 1);

  public Weights {
    check("memory", memory);
    check("cpu", cpu);
    check("vcpu", vcpu);
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
