package xcm.coordinator.failure;

/**
 * What follows a fence: the failed host's domains restarted elsewhere, its stale copies removed.
 */
public interface Restarts {
  /**
   * Restarts, on other hosts, the domains {@code host} ran that run nowhere now. Called every round
   * while the host is fenced and silent, so it must be idempotent: a domain already restarted, or
   * being restarted, is left alone, and one that fit nowhere is tried again.
   */
  void restart(String host);

  /**
   * The fenced {@code host} answers again: removes its copies of domains that run elsewhere now.
   *
   * @return true when none is left, so the host may return to service
   */
  boolean removeStaleCopies(String host);
}
