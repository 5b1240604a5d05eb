package xcm.bench.day;

/** The cluster left as it starts the day: the row every other is measured against. */
final class NoBalancing implements DayPolicy {
  @Override
  public String name() {
    return "no balancing";
  }

  @Override
  public int intervalMinutes() {
    return 60;
  }

  @Override
  public void round(SimCluster cluster) {}
}
