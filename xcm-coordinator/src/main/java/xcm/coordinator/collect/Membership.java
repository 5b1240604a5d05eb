package xcm.coordinator.collect;

/** What an operator changes in who is collected: the same on every coordinator of a journal. */
public interface Membership {
  /**
   * Reads the agent at {@code url} and makes its host a member; idempotent.
   *
   * @return the host name the agent reports
   * @throws IllegalArgumentException naming the URL and why the agent cannot be added
   */
  String addHost(String url);

  /**
   * Stops collecting {@code host}, and revokes its certificate when it is enrolled.
   *
   * @return whether a certificate was revoked
   * @throws IllegalArgumentException naming the host when it is neither a member nor enrolled
   */
  boolean removeHost(String host);
}
