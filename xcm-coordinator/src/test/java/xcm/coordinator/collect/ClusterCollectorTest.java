package xcm.coordinator.collect;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import xcm.client.Credentials;
import xcm.coordinator.inventory.HostLifecycle;
import xcm.coordinator.inventory.Inventory;

class ClusterCollectorTest {
  @Test
  void readsAtMostSoManyNewcomersARoundAndTheRestInTheirTurn() throws IOException {
    int port = refusingPort();
    List<String> urls = new ArrayList<>();
    int count = ClusterCollector.NEWCOMERS_PER_ROUND + 50;
    for (int i = 1; i <= count; i++) {
      urls.add("http://127.0.0.1:" + port + "/jolokia/" + i + "/");
    }
    Inventory inventory =
        new Inventory(new HostLifecycle(3, Duration.ofMinutes(10)), Clock.systemUTC());
    ExecutorService http = Executors.newFixedThreadPool(2);
    try {
      ClusterCollector collector =
          new ClusterCollector(
              inventory,
              Agents.client(Credentials.basic("xcm", "pw"), Duration.ofSeconds(2), http),
              urls,
              seconds -> {});

      collector.collect();
      Map<String, String> pending = inventory.snapshot().pending();
      assertThat(pending.values().stream().filter(r -> r.equals("not read yet")))
          .hasSize(count - ClusterCollector.NEWCOMERS_PER_ROUND);

      collector.collect();
      assertThat(inventory.snapshot().pending().values()).doesNotContain("not read yet");
    } finally {
      http.shutdownNow();
    }
  }

  /** A loopback port nobody listens on: connections to it are refused at once. */
  private static int refusingPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
