package xcm.bench;

import java.time.Duration;
import xcm.client.JolokiaException;

/**
 * Waiting, by polling, for processes a bench started to reach a state: agents joined, a cluster
 * quiet after a fault.
 *
 * <pre>{@code
 * Await.until("all agents joined", Duration.ofSeconds(120), () -> coordinator.activeHostCount() == 3);
 * }</pre>
 *
 * <p>Thread-safe: stateless.
 */
public final class Await {
  private static final long POLL_MILLIS = 100;

  private Await() {}

  /** What is waited for. */
  @FunctionalInterface
  public interface Condition {
    /**
     * @throws JolokiaException when a process does not answer as asked yet, which counts as not yet
     */
    boolean holds() throws JolokiaException, InterruptedException;
  }

  /**
   * Polls {@code condition} until it holds.
   *
   * @throws IllegalStateException "WHAT: not within N s" when {@code timeout} passes first
   */
  public static void until(String what, Duration timeout, Condition condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      try {
        if (condition.holds()) {
          return;
        }
      } catch (JolokiaException e) {
        // Not answering yet (starting, or just restarted): keep waiting.
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(what + ": not within " + timeout.toSeconds() + " s");
      }
      Thread.sleep(POLL_MILLIS);
    }
  }
}
