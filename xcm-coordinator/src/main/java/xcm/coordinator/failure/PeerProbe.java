package xcm.coordinator.failure;

import java.util.concurrent.CompletableFuture;

/**
 * Asks one agent whether it reaches another: a host that only the coordinator cannot reach is cut
 * off, not failed, and is never fenced for it.
 */
public interface PeerProbe {
  /** What one asked agent said. */
  enum Answer {
    /** It reached the suspect's agent: the host runs. */
    REACHED,
    /** It tried and did not reach it: a vote that the host is gone. */
    NOT_REACHED,
    /** It could not be asked, or could not tell: no vote either way. */
    UNKNOWN
  }

  /** What the asked agent found; {@code reason} says why not, or why it could not tell. */
  record Reach(Answer answer, String reason) {}

  /**
   * @param askedUrl the agent asked
   * @param targetUrl the suspect host's agent
   * @return the answer, once the asked agent gives it or its timeout passes; it never completes
   *     exceptionally: an agent that cannot be asked is {@link Answer#UNKNOWN}
   */
  CompletableFuture<Reach> reaches(String askedUrl, String targetUrl);
}
