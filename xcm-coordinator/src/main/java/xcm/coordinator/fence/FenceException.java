package xcm.coordinator.fence;

/**
 * A fence action that did not do what was asked: no device for the host, an agent that could not
 * start, failed (exit code), timed out, or left the host on. The message names the host, the
 * program, the action, the reason and the last lines the agent printed:
 *
 * <pre>
 * fence dmz01: /usr/sbin/fence_ipmilan action=status failed: exit code 1; the agent said:
 * "Failed: Unable to obtain correct plug status or plug is not available"
 * </pre>
 *
 * Never holds a secret: the agent's output has its secrets replaced by {@code ***} before it gets
 * here.
 */
public final class FenceException extends Exception {
  private static final long serialVersionUID = 1L;

  private final String host;
  private final String program;
  private final FenceAction action;
  private final String reason;
  private final String agentOutput;

  /**
   * @param program the agent, or {@code "none"} when the host has no device
   * @param reason why it failed: {@code "exit code 1"}, {@code "timed out after 60s"}
   * @param agentOutput the last lines the agent printed, secrets already removed; empty for none
   */
  public FenceException(
      String host, String program, FenceAction action, String reason, String agentOutput) {
    super(message(host, program, action, reason, agentOutput));
    this.host = host;
    this.program = program;
    this.action = action;
    this.reason = reason;
    this.agentOutput = agentOutput;
  }

  private static String message(
      String host, String program, FenceAction action, String reason, String agentOutput) {
    return "fence "
        + host
        + ": "
        + program
        + " action="
        + action.word()
        + " failed: "
        + reason
        + (agentOutput.isEmpty() ? "" : "; the agent said: \"" + agentOutput + "\"");
  }

  public String host() {
    return host;
  }

  public String program() {
    return program;
  }

  public FenceAction action() {
    return action;
  }

  /** Why it failed, without the agent's output. */
  public String reason() {
    return reason;
  }

  /** The last lines the agent printed, joined by {@code " | "}; empty for none. */
  public String agentOutput() {
    return agentOutput;
  }
}
