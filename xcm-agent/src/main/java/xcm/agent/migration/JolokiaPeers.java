package xcm.agent.migration;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * How the source reaches destination agents: {@link JolokiaPeer}s made on demand. Kept apart from
 * JolokiaPeer so that wiring an agent at start loads neither it nor its JSON and HTTP classes.
 */
final class JolokiaPeers {
  private JolokiaPeers() {}

  /**
   * Peers sharing one {@link HttpClient}, made at the first migration: its selector thread is not
   * worth keeping on an agent that never migrates. HTTP/1.1 as Jolokia's JDK server speaks it; a
   * dead host fails the connect within 5 s.
   */
  static Function<URI, Peer> over(PeerConfig credentials, Duration timeout) {
    Supplier<HttpClient> http =
        new Supplier<>() {
          private HttpClient client; // guarded by this

          @Override
          public synchronized HttpClient get() {
            if (client == null) {
              client =
                  HttpClient.newBuilder()
                      .version(HttpClient.Version.HTTP_1_1)
                      .connectTimeout(Duration.ofSeconds(5))
                      .build();
            }
            return client;
          }
        };
    return url -> new JolokiaPeer(http.get(), url, credentials, timeout);
  }
}
