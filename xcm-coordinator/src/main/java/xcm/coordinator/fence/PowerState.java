package xcm.coordinator.fence;

/** A host's power as its fence agent's {@code status} action reported it. */
public enum PowerState {
  ON,
  OFF
}
