package xcm.agent.migration;

import java.net.URI;
import java.time.Duration;
import java.util.function.Function;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import xcm.client.Credentials;
import xcm.client.JolokiaClient;

/**
 * How the source reaches destination agents: {@link JolokiaPeer}s made on demand. Kept apart from
 * JolokiaPeer so that wiring an agent at start loads neither it nor its JSON and HTTP classes.
 */
final class JolokiaPeers {
  private JolokiaPeers() {}

  /**
   * Peers reached over the cluster's TLS, this agent's certificate its login: {@code tls} is asked
   * at the first migration (it throws while the agent has no certificate yet, and the next
   * migration asks again).
   */
  static Function<URI, Peer> overTls(Supplier<SSLContext> tls, Duration timeout) {
    return over(
        () ->
            JolokiaClient.builder()
                .tls(tls.get())
                .credentials(Credentials.certificate("this agent's certificate")),
        timeout);
  }

  /**
   * Peers sharing one {@link JolokiaClient} that {@code builder} makes at the first migration: an
   * agent that never migrates loads no Jackson and keeps no HTTP client's selector thread. A dead
   * host fails the connect within 5 s.
   */
  static Function<URI, Peer> over(Supplier<JolokiaClient.Builder> builder, Duration timeout) {
    Supplier<JolokiaClient> client =
        new Supplier<>() {
          private JolokiaClient made; // guarded by this

          @Override
          public synchronized JolokiaClient get() {
            if (made == null) {
              made =
                  builder
                      .get()
                      .callee("agent")
                      .timeout(timeout)
                      .connectTimeout(Duration.ofSeconds(5))
                      .build();
            }
            return made;
          }
        };
    return url -> new JolokiaPeer(client.get().at(url.toString()));
  }
}
