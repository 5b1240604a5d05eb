package xcm.coordinator.migration;

/**
 * One move to run: a domain (by name and UUID) from one host to another, each host with its agent's
 * Jolokia URL; the {@code index}-th move of its operation.
 *
 * @param method how the domain gets there: live, or restarted from its kept definition because its
 *     host was fenced
 */
public record MoveRequest(
    String operationId,
    int index,
    String domain,
    String uuid,
    String from,
    String fromUrl,
    String to,
    String toUrl,
    Method method) {

  /** How a move takes its domain to the destination. */
  public enum Method {
    /** A live migration (or the test driver's hand-over) from a source that runs it. */
    LIVE,
    /**
     * Defined and started on the destination from the definition the coordinator keeps; the source
     * was fenced and takes no part (it counts against no limit).
     */
    RESTART
  }

  /** A live migration. */
  public MoveRequest(
      String operationId,
      int index,
      String domain,
      String uuid,
      String from,
      String fromUrl,
      String to,
      String toUrl) {
    this(operationId, index, domain, uuid, from, fromUrl, to, toUrl, Method.LIVE);
  }

  /** The same move as the {@code index}-th of operation {@code id}. */
  public MoveRequest of(String id, int position) {
    return new MoveRequest(id, position, domain, uuid, from, fromUrl, to, toUrl, method);
  }

  /** A restart of a fenced host's domain on {@code to}. */
  public static MoveRequest restart(
      String domain, String uuid, String from, String fromUrl, String to, String toUrl) {
    return new MoveRequest(null, 0, domain, uuid, from, fromUrl, to, toUrl, Method.RESTART);
  }

  @Override
  public String toString() {
    return domain + " " + from + (method == Method.RESTART ? " => " : " -> ") + to;
  }
}
