package xcm.coordinator.balancing;

/** What one round of the continuous balancer came to: the {@code result} label of its metric. */
public enum RoundResult {
  /** The automation level is off: nothing was looked at. */
  OFF,
  /** Another balance, a drain or the nightly job was running: the round left the cluster alone. */
  BUSY,
  /** The moves of the last hour reached the hourly cap. */
  CAPPED,
  /** The imbalance was below the level that starts a round. */
  BALANCED,
  /** No move gained enough, or every gain lay within the noise of the demand. */
  NO_GAIN,
  /** Moves that mend broken hard placement rules, made whatever the threshold. */
  MENDED,
  /** Power saving empties a host, which is in STANDBY from now on. */
  STANDBY,
  /** Power saving brings STANDBY hosts back: demand crossed the high-water mark. */
  WAKE,
  /** At level manual: the moves are the standing recommendation. */
  RECOMMENDED,
  /** At level full: the moves were applied. */
  MOVED;

  /** As a metric label, e.g. {@code no_gain}. */
  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
