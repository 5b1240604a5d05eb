package xcm.coordinator.operation;

import java.util.Set;
import java.util.stream.Collectors;
import javax.management.remote.JMXPrincipal;
import javax.security.auth.Subject;
import xcm.serve.CallerSubject;
import xcm.serve.JolokiaPrincipal;

/**
 * Who asked for an operation and through which door: {@code jmx} (JConsole, VisualVM, any JMX
 * client; with the authenticated user when the remote connector has one), {@code jolokia} (curl,
 * scripts; with the Jolokia user), {@code cli} (XCM's CLI, through Jolokia; with the Jolokia user),
 * {@code schedule} (a Quartz job) or {@code webhook}.
 */
public record Requester(String door, String user) {
  /** The {@code User-Agent} the CLI sends on its Jolokia requests. */
  public static final String CLI_USER_AGENT = "xcm-cli";

  /** The coordinator itself settling moves after a restart or a timeout. */
  public static final Requester RECOVERY = new Requester("recovery", "coordinator");

  /** The coordinator handling a failed host: fencing it, restarting its domains. */
  public static final Requester HA = new Requester("ha", "coordinator");

  public static Requester schedule(String job) {
    return new Requester("schedule", job);
  }

  /**
   * The caller of the MBean operation running on this thread. JMX remote calls carry the
   * authenticated subject; Jolokia runs each request as a subject with the authenticated user and
   * the client's User-Agent ({@link JolokiaPrincipal}). The CLI names itself there: a label of its
   * own requests, which turns their door from {@code jolokia} into {@code cli} and nothing more.
   */
  public static Requester ofCurrentCall() {
    Subject subject = CallerSubject.current();
    Set<JMXPrincipal> jmx = subject == null ? Set.of() : subject.getPrincipals(JMXPrincipal.class);
    if (!jmx.isEmpty()) {
      return new Requester(
          "jmx", jmx.stream().map(JMXPrincipal::getName).collect(Collectors.joining(",")));
    }
    Set<JolokiaPrincipal> jolokia =
        subject == null ? Set.of() : subject.getPrincipals(JolokiaPrincipal.class);
    if (!jolokia.isEmpty()) {
      JolokiaPrincipal caller = jolokia.iterator().next();
      return new Requester(isCli(caller.userAgent()) ? "cli" : "jolokia", caller.user());
    }
    String thread = Thread.currentThread().getName();
    if (thread.startsWith("RMI")) {
      return new Requester("jmx", "local");
    }
    return new Requester("internal", thread);
  }

  /** {@code xcm-cli}, or {@code xcm-cli/<version>} and more product tokens. */
  private static boolean isCli(String userAgent) {
    return userAgent.equals(CLI_USER_AGENT) || userAgent.startsWith(CLI_USER_AGENT + "/");
  }

  @Override
  public String toString() {
    return door + ":" + user;
  }
}
