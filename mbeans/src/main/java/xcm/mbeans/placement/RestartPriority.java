package xcm.mbeans.placement;

import java.util.Locale;

/**
 * In which order a VM is started again elsewhere when its host has failed; {@link #NEVER} leaves it
 * down for an operator.
 */
public enum RestartPriority {
  HIGH,
  MEDIUM,
  LOW,
  NEVER;

  /** {@code high}, {@code medium}, {@code low} or {@code never}, as written in rules. */
  public String word() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The priority written so, or null. */
  static RestartPriority ofWord(String word) {
    for (RestartPriority priority : values()) {
      if (priority.word().equals(word)) {
        return priority;
      }
    }
    return null;
  }
}
