package xcm.agent.libvirt;

/**
 * The one place where the agent decides whether a failed MBean operation is a refusal. The rule,
 * which every caller relies on (the coordinator and other agents read it through {@code
 * xcm.client.JolokiaException}):
 *
 * <ul>
 *   <li>{@link IllegalArgumentException} — refused, nothing changed: the request is wrong (no such
 *       domain, XML libvirt rejects, a bad destination, a domain already being migrated);
 *   <li>{@link IllegalStateException} — refused, nothing changed: the host cannot do it now (a
 *       domain held by a migration, libvirt failing the call, the agent stopping);
 *   <li>anything else ({@link RuntimeException} from here, or a bug) — the request may have changed
 *       something, so the caller must find out before it acts on the failure.
 * </ul>
 *
 * Operations throw the two refusals themselves for what they check before changing anything; a
 * failure after a change started goes through this class. What it returns carries no cause: a JMX
 * client without the agent's classes must be able to read it; the message says it all. A libvirt
 * call that failed with an answer from libvirt did nothing (libvirt's calls either take effect or
 * fail); one whose connection was lost during the call may have been carried out by libvirtd.
 *
 * <pre>{@code
 * try {
 *   hypervisor.startDomain(domain);
 * } catch (HypervisorException e) {
 *   throw OperationErrors.ofChange(host + ": " + e.getMessage(), e);
 * }
 * }</pre>
 *
 * <p>Thread-safe: stateless.
 */
public final class OperationErrors {
  private OperationErrors() {}

  /**
   * What an operation throws when a libvirt call that changes the host failed: a refusal for the
   * host's state ({@link IllegalStateException} with {@code message}), unless the connection to
   * libvirt was lost during the call, which leaves its effect unknown.
   */
  public static RuntimeException ofChange(String message, HypervisorException failure) {
    if (failure instanceof HypervisorUnavailableException) {
      return afterChange(
          message
              + " (the connection to libvirt was lost during the call: whether it took effect is"
              + " unknown)");
    }
    return new IllegalStateException(message);
  }

  /** What an operation throws when a step failed after an earlier step of it took effect. */
  public static RuntimeException afterChange(String message) {
    return new RuntimeException(message);
  }
}
