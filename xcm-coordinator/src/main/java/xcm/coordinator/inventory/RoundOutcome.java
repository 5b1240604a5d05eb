package xcm.coordinator.inventory;

import java.util.Map;

/**
 * What one collection round heard: the hosts that answered with their figures, and the hosts that
 * did not with the reason.
 */
public record RoundOutcome(
    Map<String, HostData> answers, Map<String, String> failures, double seconds) {
  public RoundOutcome {
    answers = Map.copyOf(answers);
    failures = Map.copyOf(failures);
  }
}
