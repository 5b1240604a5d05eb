package xcm.coordinator.plan;

/** Where a drain puts the host's domains. */
public enum DrainStrategy {
  /**
   * Each domain, largest memory first, onto the host where it leaves the lowest weighted score, the
   * tightest fit among equals: spreads load while keeping large holes for large domains.
   */
  BEST_FIT("best-fit"),
  /**
   * The seed paper's rule: every domain onto the one ACTIVE host with the fewest domains; only what
   * no longer fits there goes to the next host with the fewest, and so on.
   */
  PAPER("paper");

  private final String label;

  DrainStrategy(String label) {
    this.label = label;
  }

  /** The name on the command line and in plans, e.g. {@code best-fit}. */
  public String label() {
    return label;
  }

  /** The strategy of that label; an unknown one fails naming the known ones. */
  public static DrainStrategy of(String label) {
    for (DrainStrategy strategy : values()) {
      if (strategy.label.equals(label)) {
        return strategy;
      }
    }
    throw new PlanRequestException(
        "unknown drain strategy \"" + label + "\" (known: best-fit, paper)");
  }
}
