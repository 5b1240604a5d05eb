package xcm.client;

/** An MBean that answers as XCM's operations do: a value, a refusal, or a failure. */
public interface CalleeMXBean {
  String getName();

  String echo(String text);

  /** Refuses the request: what the caller got wrong. */
  void refuseArgument(String why);

  /** Refuses for now: what the callee cannot do in its state. */
  void refuseState(String why);

  /** Refuses a request whose coordinator epoch is superseded. */
  void refuseStale(String why);

  /** Refuses as a standby coordinator does. */
  void refuseStandby(String why);

  /** Fails after it may have changed something. */
  void fail(String why);
}
