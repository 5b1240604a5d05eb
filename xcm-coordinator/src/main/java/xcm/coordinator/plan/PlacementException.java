package xcm.coordinator.plan;

import java.util.List;

/**
 * A plan that cannot be made or must not be run: a drain whose domains do not fit on the other
 * hosts (each such domain is listed in {@link #unplaced()} with its memory shortfall), a drain of a
 * host that is not listed, or a plugin policy whose plan breaks a placement constraint.
 */
public final class PlacementException extends RuntimeException {
  private final transient List<Unplaced> unplaced;

  public PlacementException(String message) {
    this(message, List.of());
  }

  public PlacementException(String message, List<Unplaced> unplaced) {
    super(message);
    this.unplaced = List.copyOf(unplaced);
  }

  /** The domains a drain could not place; empty for other refusals. */
  public List<Unplaced> unplaced() {
    return unplaced;
  }
}
