package xcm.mbeans.placement;

/** How firmly XCM keeps a rule. */
public enum Strength {
  /** Never broken by anything XCM does; a move that would break it is refused. */
  HARD,
  /** A penalty the planners weigh against balance; broken when nothing better is possible. */
  SOFT;

  /** {@code hard} or {@code soft}, as written in rules. */
  public String word() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
