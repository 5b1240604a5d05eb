package xcm.coordinator.fence;

/** What a fence agent's {@code status} said. */
public enum PowerState {
  ON,
  OFF
}
