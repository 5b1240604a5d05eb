package xcm.coordinator.leader;

/**
 * The epoch an agent-changing request carries: the sending coordinator's leadership epoch, for as
 * long as it is the active coordinator. An agent refuses a request whose epoch is older than the
 * newest it has seen, so that a former active that was only paused (a long GC, SIGSTOP) and wakes
 * up moves nothing.
 */
@FunctionalInterface
public interface Mandate {
  /**
   * The epoch to send with a request that changes an agent.
   *
   * @throws xcm.mbeans.StandbyException when this coordinator is not the active one
   */
  long epoch();
}
