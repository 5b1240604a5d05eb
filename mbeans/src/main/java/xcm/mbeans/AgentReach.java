package xcm.mbeans;

import java.time.Duration;

/**
 * Whether one agent reached another ({@code xcm:type=HostOperations}, operation {@code
 * reachesAgent(url)}): what the coordinator asks the other agents before it fences a host it cannot
 * reach itself, since a host cut off from the coordinator alone has not failed. Nothing of the
 * other agent's answer is in it.
 *
 * @param reached true when the agent at the URL answered Jolokia's {@code version} request
 * @param reason why it was not reached (connection refused, no answer within the time-out, TLS
 *     failed, refused the request, ...), at most {@value #MAX_REASON} characters, control
 *     characters escaped; empty when reached
 * @param millis how long the attempt took, milliseconds
 */
public record AgentReach(boolean reached, String reason, long millis) {
  /** The longest reason. */
  public static final int MAX_REASON = 300;

  /**
   * How long an agent waits to connect to the other, and again for its answer: whoever asks must
   * wait longer than twice this, or a host that is gone without a word (a frozen agent, an address
   * that no longer answers) is never found gone.
   */
  public static final Duration TIMEOUT = Duration.ofSeconds(2);
}
