package xcm.mbeans;

/** {@code xcm:type=Leadership} on a coordinator: whether it acts, and which coordinator does. */
@Description(
    "This coordinator's part in the lease on the journal: exactly one coordinator is active and"
        + " acts; standbys serve the views and refuse requests that act")
public interface LeadershipMXBean {
  @Description("This coordinator's name")
  String getName();

  @Description(
      "ACTIVE (acts), STANDBY (views only; requests that act are refused with the active's URL) or"
          + " DEPOSED (lost the lease it held; to be started again)")
  CoordinatorRole getRole();

  @Description(
      "True while this coordinator acts: ACTIVE, and its last renewal of the lease still holds")
  boolean isActing();

  @Description(
      "The epoch of the lease as this coordinator last read it: every takeover raises it, and"
          + " agents refuse requests that carry an older one")
  long getEpoch();

  @Description("Name of the coordinator holding the lease; empty when none does")
  String getActiveCoordinator();

  @Description("Jolokia URL of the coordinator holding the lease; empty when none does")
  String getActiveCoordinatorUrl();

  @Description(
      "Milliseconds the lease held, as last read, by the database's clock (negative: it ran out)")
  long getLeaseRemainingMillis();
}
