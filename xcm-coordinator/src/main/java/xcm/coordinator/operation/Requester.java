package xcm.coordinator.operation;

import java.security.AccessController;
import java.util.stream.Collectors;
import javax.management.remote.JMXPrincipal;
import javax.security.auth.Subject;
import xcm.serve.JolokiaEndpoint;

/**
 * Who asked for an operation and through which door: {@code jmx} (JConsole, VisualVM, any JMX
 * client; with the authenticated user when the remote connector has one), {@code jolokia} (curl,
 * the CLI, agents registering; with the Jolokia user), {@code schedule} (a Quartz job) or {@code
 * webhook}.
 */
public record Requester(String door, String user) {

  public static Requester schedule(String job) {
    return new Requester("schedule", job);
  }

  /**
   * The caller of the MBean operation running on this thread. JMX remote calls carry the
   * authenticated subject; Jolokia serves requests on its own threads, named {@code jolokia-*}.
   */
  @SuppressWarnings("removal")
  public static Requester ofCurrentCall(String jolokiaUser) {
    Subject subject = Subject.getSubject(AccessController.getContext());
    if (subject != null && !subject.getPrincipals(JMXPrincipal.class).isEmpty()) {
      return new Requester(
          "jmx",
          subject.getPrincipals(JMXPrincipal.class).stream()
              .map(JMXPrincipal::getName)
              .collect(Collectors.joining(",")));
    }
    String thread = Thread.currentThread().getName();
    if (thread.startsWith("jolokia")) {
      return new Requester("jolokia", JolokiaEndpoint.currentUser().orElse(jolokiaUser));
    }
    if (thread.startsWith("RMI")) {
      return new Requester("jmx", "local");
    }
    return new Requester("internal", thread);
  }

  @Override
  public String toString() {
    return door + ":" + user;
  }
}
