package xcm.coordinator.migration;

/**
 * One live migration to run: a domain (by name and UUID) from one host to another, each host with
 * its agent's Jolokia URL.
 */
public record MoveRequest(
    String operationId,
    String domain,
    String uuid,
    String from,
    String fromUrl,
    String to,
    String toUrl) {

  @Override
  public String toString() {
    return domain + " " + from + " -> " + to;
  }
}
