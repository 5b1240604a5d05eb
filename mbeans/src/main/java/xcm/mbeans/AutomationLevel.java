package xcm.mbeans;

import java.util.Locale;

/** How far the continuous balancer goes on its own each round. */
public enum AutomationLevel {
  /** No rounds: the cluster is balanced only when an operator, an alert or the nightly job asks. */
  OFF,
  /**
   * Each round refreshes a standing recommendation (the moves it would make, each with its gain),
   * shown in the views, the CLI and the metrics; nothing moves until an operator applies it.
   */
  MANUAL,
  /** Each round's moves are applied at once, within the caps. */
  FULL;

  /** The name on the command line and in configuration, e.g. {@code manual}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The level of that label, any case; an unknown one fails naming the known ones. */
  public static AutomationLevel of(String label) {
    for (AutomationLevel level : values()) {
      if (level.name().equalsIgnoreCase(label == null ? "" : label.trim())) {
        return level;
      }
    }
    throw new IllegalArgumentException(
        "unknown automation level \"" + label + "\" (known: off, manual, full)");
  }
}
