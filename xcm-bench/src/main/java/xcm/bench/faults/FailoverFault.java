package xcm.bench.faults;

/** The faults of the failover trials, each hitting the active coordinator. */
public enum FailoverFault {
  KILL("kill -9", "SIGKILL of the active coordinator; started again later, as a standby"),
  PAUSE(
      "SIGSTOP",
      "the active coordinator stopped (SIGSTOP) for longer than the lease, then resumed: it must"
          + " find itself deposed, act on nothing and exit 3"),
  CUT_OFF(
      "cut off",
      "the active coordinator cut off from the database (its role NOLOGIN, its sessions ended),"
          + " then let in again: it must find itself deposed, act on nothing and exit 3");

  /** The short name the table prints. */
  final String label;

  final String what;

  FailoverFault(String label, String what) {
    this.label = label;
    this.what = what;
  }
}
