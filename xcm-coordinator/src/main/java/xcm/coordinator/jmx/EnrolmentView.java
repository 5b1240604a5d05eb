package xcm.coordinator.jmx;

import static xcm.coordinator.jmx.Arguments.required;

import java.time.Duration;
import java.util.List;
import xcm.coordinator.enrol.EnrolmentDesk;
import xcm.coordinator.operation.AuditLog;
import xcm.coordinator.operation.Requester;
import xcm.mbeans.EnrolledHost;
import xcm.mbeans.EnrolmentMXBean;
import xcm.mbeans.PendingEnrolment;

/**
 * {@code xcm:type=Enrolment}: operators approving hosts and issuing tokens, each recorded in the
 * audit log with who asked. A token is never recorded.
 */
final class EnrolmentView implements EnrolmentMXBean {
  private final EnrolmentDesk desk;
  private final AuditLog audit;

  EnrolmentView(EnrolmentDesk desk, AuditLog audit) {
    this.desk = desk;
    this.audit = audit;
  }

  @Override
  public List<PendingEnrolment> getPending() {
    return desk.waiting();
  }

  @Override
  public List<EnrolledHost> getEnrolled() {
    return desk.enrolledView();
  }

  @Override
  public String approve(String host, String fingerprint) {
    return audit.audited(
        Requester.ofCurrentCall(),
        "approve " + required(host, "approve", "host"),
        () -> desk.approve(host, fingerprint == null ? "" : fingerprint),
        key -> "enrolled, key " + key);
  }

  @Override
  public void reject(String host) {
    audit.audited(
        Requester.ofCurrentCall(),
        "reject " + required(host, "reject", "host"),
        () -> {
          desk.reject(host);
          return null;
        },
        nothing -> "done");
  }

  @Override
  public String issueToken(String host, int validMinutes) {
    // The token itself is never audited: the audit log is read by every monitor.
    return audit.audited(
        Requester.ofCurrentCall(),
        "issueToken " + required(host, "issueToken", "host") + " " + validMinutes + "m",
        () -> desk.issueToken(host, Duration.ofMinutes(validMinutes)),
        token -> "issued");
  }
}
