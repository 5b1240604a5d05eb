package xcm.mbeans.placement;

/** What a VM–host rule says about the hosts whose labels match it. */
public enum HostRuleKind {
  /** Runs only on matching hosts (hard). */
  ON("on", Strength.HARD, true),
  /** Never runs on matching hosts (hard). */
  NOT_ON("not-on", Strength.HARD, false),
  /** Runs on matching hosts when it can (soft). */
  PREFER("prefer", Strength.SOFT, true),
  /** Runs elsewhere than on matching hosts when it can (soft). */
  AVOID("avoid", Strength.SOFT, false);

  private final String word;
  private final Strength strength;
  private final boolean wantsMatch;

  HostRuleKind(String word, Strength strength, boolean wantsMatch) {
    this.word = word;
    this.strength = strength;
    this.wantsMatch = wantsMatch;
  }

  /** The word that starts the rule in text and in metadata: {@code on}, {@code not-on}, ... */
  public String word() {
    return word;
  }

  public Strength strength() {
    return strength;
  }

  /** True if the rule is met on a matching host, false if met on a host that does not match. */
  public boolean wantsMatch() {
    return wantsMatch;
  }

  /** The kind written so, or null. */
  static HostRuleKind ofWord(String word) {
    for (HostRuleKind kind : values()) {
      if (kind.word.equals(word)) {
        return kind;
      }
    }
    return null;
  }
}
