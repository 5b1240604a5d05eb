package xcm.mbeans;

/**
 * {@code xcm:type=Timeline} on the coordinator: domains per host over the recent past, from its
 * collection rounds, for the web console's chart and anyone who wants to draw it.
 */
@Description(
    "Domains running per host over the recent past (the seed paper's Fig. 2), from the"
        + " coordinator's collection rounds")
public interface TimelineMXBean {
  @Description(
      "Every host's running domains and state at the window's start, then each change in order;"
          + " read it again only when LastChangeEpochMillis moved")
  TimelineHistory getHistory();

  @Description("When a host's count or state last changed, milliseconds since the epoch; 0 never")
  long getLastChangeEpochMillis();

  @Description("How far back the timeline reaches at most, seconds")
  long getRetentionSeconds();

  @Description(
      "Changes kept at most; when more come, the window's start moves forward before the"
          + " retention says")
  int getMaxChanges();

  @Description("Seconds between two collection rounds: how often the counts are looked at")
  double getCollectIntervalSeconds();
}
