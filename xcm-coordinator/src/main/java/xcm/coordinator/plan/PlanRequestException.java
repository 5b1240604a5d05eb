package xcm.coordinator.plan;

/**
 * A request the planners cannot serve as asked: an unknown policy, an unknown parameter or one of
 * the wrong form, a drain of a host that is not listed. The message names the thing and the reason,
 * e.g. {@code policy "weighted": parameter "minGain" must be a number >= 0, found: "fast"}.
 */
public final class PlanRequestException extends RuntimeException {
  public PlanRequestException(String message) {
    super(message);
  }
}
