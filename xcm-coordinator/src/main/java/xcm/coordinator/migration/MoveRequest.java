package xcm.coordinator.migration;

/**
 * One live migration to run: a domain (by name and UUID) from one host to another, each host with
 * its agent's Jolokia URL; the {@code index}-th move of its operation.
 */
public record MoveRequest(
    String operationId,
    int index,
    String domain,
    String uuid,
    String from,
    String fromUrl,
    String to,
    String toUrl) {

  /** The same move as the {@code index}-th of operation {@code id}. */
  public MoveRequest of(String id, int position) {
    return new MoveRequest(id, position, domain, uuid, from, fromUrl, to, toUrl);
  }

  @Override
  public String toString() {
    return domain + " " + from + " -> " + to;
  }
}
