package xcm.coordinator.collect;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import javax.net.ssl.SSLContext;
import xcm.client.Credentials;
import xcm.client.JolokiaClient;
import xcm.client.JolokiaException;
import xcm.client.Request;
import xcm.coordinator.inventory.HostData;
import xcm.mbeans.ObjectNames;
import xcm.mbeans.placement.PlacementRules;

/**
 * How the coordinator reaches its agents: one {@link JolokiaClient} for all of them ({@link
 * #client}), and what it reads of each ({@link #host}): its {@code xcm:type=Host} and every {@code
 * xcm:type=Domain} in one Jolokia bulk POST, only the attributes the views show (half the bytes to
 * serialise, send and parse; {@link HostAnswer}).
 *
 * <pre>{@code
 * JolokiaClient agents = Agents.client(EnrolledAgents.credentials(desk), timeout, pool, tls);
 * HostData dmz01 = Agents.host(agents, "http://10.0.0.5:8778/jolokia/").join();
 * }</pre>
 *
 * <p>Thread-safe: stateless.
 */
public final class Agents {
  private static final String SET_PLACEMENT = "setPlacement";

  private Agents() {}

  /**
   * The client of every agent: {@code credentials} give each agent's password, {@code timeout}
   * bounds each connection and each request, and {@code executor} (a small pool) reads the answers
   * of thousands of agents.
   */
  public static JolokiaClient client(Credentials credentials, Duration timeout, Executor executor) {
    return client(credentials, timeout, executor, null);
  }

  /**
   * As {@link #client(Credentials, Duration, Executor)}, with {@code tls} for {@code https} agents
   * (the cluster's: the coordinator's certificate, the agents enrolled); null for the JDK's.
   */
  public static JolokiaClient client(
      Credentials credentials, Duration timeout, Executor executor, SSLContext tls) {
    return JolokiaClient.builder()
        .tls(tls)
        .credentials(credentials)
        .callee("agent")
        .timeout(timeout)
        .connectTimeout(timeout)
        .executor(executor)
        .build();
  }

  /**
   * Reads the agent at {@code url}; the future fails with a {@link JolokiaException} naming the URL
   * and the reason.
   */
  public static CompletableFuture<HostData> host(JolokiaClient agents, String url) {
    return agents.sendAsync(url, HostAnswer.REQUESTS, HostAnswer::parse);
  }

  /**
   * Sets a domain's placement rules through the agent at {@code url} ({@code
   * HostOperationsMXBean.setPlacement}): it writes them into the domain's libvirt metadata, live
   * and persistent, and samples, so that the next collection round reads them. {@link
   * PlacementRules#NONE} removes them. Blocks the calling thread until the agent answers.
   *
   * <pre>{@code
   * Agents.setPlacement(
   *     agents, host.url(), "db01", PlacementRules.parse("apart db; pinned"), mandate.epoch());
   * }</pre>
   *
   * @param epoch the coordinator's epoch, which the agent checks
   * @throws JolokiaException naming the agent and the reason: refused ({@link
   *     JolokiaException#outcome()} REFUSED, nothing written) for an unknown domain, one being
   *     migrated, rules the agent cannot read, a caller that is not the agent's operator, or
   *     (refusal SUPERSEDED) an epoch older than the newest the agent has seen
   */
  public static void setPlacement(
      JolokiaClient agents, String url, String domain, PlacementRules rules, long epoch)
      throws JolokiaException, InterruptedException {
    agents.send(url, setPlacementRequest(domain, rules, epoch));
  }

  /**
   * The request {@link #setPlacement} sends: the rules in text form, which the agent reads again.
   */
  static Request setPlacementRequest(String domain, PlacementRules rules, long epoch) {
    return Request.exec(
        ObjectNames.hostOperations(), SET_PLACEMENT, domain, rules.toString(), epoch);
  }
}
