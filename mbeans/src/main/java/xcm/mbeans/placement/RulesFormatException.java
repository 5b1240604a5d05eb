package xcm.mbeans.placement;

/** Placement rules, in text or in domain metadata, that cannot be read; the message says why. */
public final class RulesFormatException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public RulesFormatException(String message) {
    super(message);
  }
}
