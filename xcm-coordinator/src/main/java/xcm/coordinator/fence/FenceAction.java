package xcm.coordinator.fence;

import java.util.Locale;

/** What a fence agent is asked to do, sent to it as {@code action=status|off|on}. */
public enum FenceAction {
  STATUS,
  OFF,
  ON;

  /** The word of the fence-agent protocol: {@code status}, {@code off}, {@code on}. */
  public String word() {
    return name().toLowerCase(Locale.ROOT);
  }
}
