package xcm.coordinator.jmx;

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
    Requester who = Requester.ofCurrentCall();
    String action = "approve " + required(host, "approve", "host");
    try {
      String approved = desk.approve(host, fingerprint == null ? "" : fingerprint);
      audit.record(who, action, "enrolled, key " + approved);
      return approved;
    } catch (RuntimeException e) {
      audit.record(who, action, "refused: " + e.getMessage());
      throw e;
    }
  }

  @Override
  public void reject(String host) {
    Requester who = Requester.ofCurrentCall();
    String action = "reject " + required(host, "reject", "host");
    try {
      desk.reject(host);
      audit.record(who, action, "done");
    } catch (RuntimeException e) {
      audit.record(who, action, "refused: " + e.getMessage());
      throw e;
    }
  }

  @Override
  public String issueToken(String host, int validMinutes) {
    Requester who = Requester.ofCurrentCall();
    String action = "issueToken " + required(host, "issueToken", "host") + " " + validMinutes + "m";
    try {
      String token = desk.issueToken(host, Duration.ofMinutes(validMinutes));
      audit.record(who, action, "issued");
      return token;
    } catch (RuntimeException e) {
      audit.record(who, action, "refused: " + e.getMessage());
      throw e;
    }
  }

  private static String required(String value, String operation, String parameter) {
    if (value == null) {
      throw new IllegalArgumentException(operation + ": " + parameter + " is required, found null");
    }
    return value;
  }
}
