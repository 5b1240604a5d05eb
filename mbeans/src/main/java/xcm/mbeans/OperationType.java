package xcm.mbeans;

/** What an operation does, as {@code xcm:type=Operation} shows it. */
public enum OperationType {
  /** One domain to a chosen host. */
  MIGRATE,
  /** Moves a balance policy planned. */
  BALANCE,
  /** Every domain off one host, which then goes to maintenance. */
  DRAIN,
  /** A fenced host's domains started again on other hosts. */
  RESTART
}
