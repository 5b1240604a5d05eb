package xcm.agent.reach;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import xcm.client.Credentials;
import xcm.client.JolokiaClient;
import xcm.mbeans.AgentReach;
import xcm.mbeans.AgentUrls;
import xcm.serve.LogText;

/**
 * Whether this agent reaches another agent now: the witness the coordinator asks before it fences a
 * host it cannot reach itself. Asks the other agent's Jolokia its version, over the TLS this agent
 * talks to its peers with (its cluster certificate; only a cluster agent's certificate accepted at
 * the other end), within {@link #TIMEOUT}.
 *
 * <p>It is no proxy: whatever answers, only whether it answered, why not in this agent's own words
 * (bounded, escaped) and how long it took come back; nothing of the answer's body. An agent not
 * reached is an answer; what this agent cannot tell (it is not enrolled, {@link #MAX_AT_ONCE}
 * probes run already) is refused, so that a coordinator never counts it as a vote that the host is
 * gone.
 *
 * <pre>{@code
 * AgentProbe probe = AgentProbe.overTls("dmz01", Optional.of(trust::peerClientTls));
 * AgentReach reach = probe.reach("https://10.0.0.6:8778/jolokia/");
 * }</pre>
 *
 * <p>Thread-safe. The HTTP client is made at the first probe, and the JSON and HTTP classes are
 * loaded then ({@link JolokiaKnock}): an agent never asked keeps none of them.
 */
public final class AgentProbe {
  /** How long one probe waits for the connection and for the answer. */
  public static final Duration TIMEOUT = AgentReach.TIMEOUT;

  /** Probes that may run at once: each holds a caller's thread for up to {@link #TIMEOUT}. */
  public static final int MAX_AT_ONCE = 4;

  private final String host;
  private final Supplier<JolokiaClient.Builder> clients; // null: this agent reaches no peer
  private final Semaphore running = new Semaphore(MAX_AT_ONCE);
  private JolokiaClient client; // guarded by this

  private AgentProbe(String host, Supplier<JolokiaClient.Builder> clients) {
    this.host = host;
    this.clients = clients;
  }

  /**
   * Probes over the cluster's TLS with this agent's certificate ({@code tls} is asked at the first
   * probe, and again while it throws: the agent has no certificate yet); empty for an agent that is
   * not enrolled, which reaches no other agent and refuses every probe.
   */
  public static AgentProbe overTls(String host, Optional<Supplier<SSLContext>> tls) {
    return new AgentProbe(
        host,
        tls.<Supplier<JolokiaClient.Builder>>map(
                context ->
                    () ->
                        JolokiaClient.builder()
                            .tls(context.get())
                            .credentials(Credentials.certificate("this agent's certificate")))
            .orElse(null));
  }

  /** Probes with clients {@code builder} makes (tests: a password instead of a certificate). */
  static AgentProbe over(String host, Supplier<JolokiaClient.Builder> builder) {
    return new AgentProbe(host, builder);
  }

  /**
   * Whether the agent at {@code url} answers now.
   *
   * @throws IllegalArgumentException naming this host when {@code url} is not an agent's http or
   *     https URL (nothing was sent)
   * @throws IllegalStateException naming this host when it cannot tell now: it is not enrolled or
   *     has no certificate yet, {@link #MAX_AT_ONCE} probes run already, or it is stopping
   */
  public AgentReach reach(String url) {
    URI target;
    try {
      target = AgentUrls.normalise(url);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          host + ": cannot probe the agent at '" + shown(url) + "': " + e.getMessage());
    }
    String refused = host + ": cannot tell whether it reaches the agent at " + target + ": ";
    if (clients == null) {
      throw new IllegalStateException(
          refused
              + "this agent is not enrolled: it reaches other agents only with the certificate the"
              + " coordinator issues it (xcm.agent.enrol.url)");
    }
    if (!running.tryAcquire()) {
      throw new IllegalStateException(
          refused + MAX_AT_ONCE + " probes run already (at most " + MAX_AT_ONCE + " at once)");
    }
    try {
      JolokiaClient jolokia = client(refused);
      long start = System.nanoTime();
      String why = JolokiaKnock.version(jolokia, target, refused, TIMEOUT);
      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      return new AgentReach(why.isEmpty(), why.isEmpty() ? "" : bounded(why), millis);
    } finally {
      running.release();
    }
  }

  private synchronized JolokiaClient client(String refused) {
    if (client == null) {
      try {
        client = clients.get().callee("agent").timeout(TIMEOUT).connectTimeout(TIMEOUT).build();
      } catch (IllegalStateException e) {
        throw new IllegalStateException(refused + e.getMessage());
      }
    }
    return client;
  }

  /** Escaped, and at most {@link AgentReach#MAX_REASON} characters. */
  private static String bounded(String reason) {
    String escaped = LogText.escape(reason);
    return escaped.length() <= AgentReach.MAX_REASON
        ? escaped
        : escaped.substring(0, AgentReach.MAX_REASON - 3) + "...";
  }

  /** A URL the caller gave, for a refusal: no user information, escaped, at most 100 characters. */
  private static String shown(String url) {
    if (url == null) {
      return "";
    }
    String escaped = LogText.escape(AgentUrls.redacted(url));
    return escaped.length() <= 100 ? escaped : escaped.substring(0, 97) + "...";
  }
}
