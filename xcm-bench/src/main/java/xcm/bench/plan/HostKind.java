package xcm.bench.plan;

import java.util.Locale;
import java.util.Optional;

/** The hosts of a generated cluster: of three sizes, or all alike. */
enum HostKind {
  /** Hosts of 16, 32 and 64 CPUs. */
  MIXED,
  /** Hosts of 32 CPUs each. */
  UNIFORM;

  /** As {@code --hosts} takes it and the tables show it: "mixed", "uniform". */
  String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  boolean mixed() {
    return this == MIXED;
  }

  /** The kind {@code label} names; empty when none does. */
  static Optional<HostKind> of(String label) {
    for (HostKind kind : values()) {
      if (kind.label().equals(label)) {
        return Optional.of(kind);
      }
    }
    return Optional.empty();
  }
}
