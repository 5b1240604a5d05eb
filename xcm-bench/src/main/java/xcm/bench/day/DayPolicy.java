package xcm.bench.day;

/**
 * One way of running a cluster through the day: XCM at some settings, or a peer's algorithm. It
 * sees every minute's samples and acts every {@link #intervalMinutes()} minutes by queuing
 * migrations (and, for power saving, emptying and waking hosts) on the {@link SimCluster}.
 */
interface DayPolicy {
  /** The row's name in the table. */
  String name();

  /** How often {@link #round} runs. */
  int intervalMinutes();

  /** The minute's samples, as a collector reads them. */
  default void observe(SimCluster cluster) {}

  /** Decides and queues what to do now. */
  void round(SimCluster cluster);
}
