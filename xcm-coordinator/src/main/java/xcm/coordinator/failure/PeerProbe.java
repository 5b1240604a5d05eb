package xcm.coordinator.failure;

/**
 * Asks one agent whether it reaches another: a host that only the coordinator cannot reach is cut
 * off, not failed, and is never fenced for it.
 */
public interface PeerProbe {
  /** What the asking agent found; {@code reason} says why not, or how long it took. */
  record Reach(boolean reached, String reason) {}

  /**
   * @param askedUrl the agent asked
   * @param targetUrl the suspect host's agent
   * @return never throws: an agent that cannot be asked answers {@code reached=false} with why
   */
  Reach reaches(String askedUrl, String targetUrl);
}
