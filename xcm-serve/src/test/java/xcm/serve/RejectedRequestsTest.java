package xcm.serve;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class RejectedRequestsTest {
  enum Reason {
    UNAUTHORIZED,
    MALFORMED
  }

  private final PrometheusRegistry registry = new PrometheusRegistry();

  @Test
  void everyReasonOfEveryDoorIsASeriesFromTheStart() {
    RejectedRequests rejected = RejectedRequests.register(registry, Clock.systemUTC());
    rejected.door("webhook", Reason.class);
    rejected.door("jolokia", Reason.class);

    assertThat(counts())
        .isEqualTo(
            Map.of(
                "door=jolokia,reason=malformed", 0.0,
                "door=jolokia,reason=unauthorized", 0.0,
                "door=webhook,reason=malformed", 0.0,
                "door=webhook,reason=unauthorized", 0.0));
  }

  @Test
  void aFloodIsCountedInFullAndLoggedOncePerReasonAndInterval() {
    Instant[] now = {Instant.parse("2025-01-01T10:00:00Z")};
    Clock clock =
        new Clock() {
          @Override
          public Instant instant() {
            return now[0];
          }

          @Override
          public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
          }

          @Override
          public Clock withZone(java.time.ZoneId zone) {
            return this;
          }
        };
    RejectedRequests.Door<Reason> webhook =
        RejectedRequests.register(registry, clock, Duration.ofSeconds(60))
            .door("webhook", Reason.class);

    String log =
        captureStandardError(
            () -> {
              for (int i = 0; i < 5000; i++) {
                webhook.reject(Reason.UNAUTHORIZED, "192.0.2.1", "wrong bearer token");
                webhook.reject(Reason.MALFORMED, "192.0.2.1", "not JSON: \"{\nforged\"");
              }
              now[0] = now[0].plusSeconds(60);
              webhook.reject(Reason.UNAUTHORIZED, "192.0.2.2", "missing bearer token");
            });

    assertThat(counts())
        .isEqualTo(
            Map.of(
                "door=webhook,reason=malformed", 5000.0,
                "door=webhook,reason=unauthorized", 5001.0));
    assertThat(log.lines())
        .containsExactly(
            "[main] WARN xcm.rejected - webhook: rejected a request from 192.0.2.1"
                + " (unauthorized): wrong bearer token",
            "[main] WARN xcm.rejected - webhook: rejected a request from 192.0.2.1 (malformed):"
                + " not JSON: \"{\\nforged\"",
            "[main] WARN xcm.rejected - webhook: rejected a request from 192.0.2.2"
                + " (unauthorized): missing bearer token; 4999 more rejected for the same reason"
                + " since the last line were not logged (at most one line every 60 s)");
  }

  /** What the logger wrote to standard error while {@code work} ran (slf4j-simple's default). */
  private static String captureStandardError(Runnable work) {
    PrintStream original = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      work.run();
    } finally {
      System.setErr(original);
    }
    return captured.toString(StandardCharsets.UTF_8);
  }

  private Map<String, Double> counts() {
    Map<String, Double> counts = new TreeMap<>();
    for (MetricSnapshot snapshot : registry.scrape()) {
      if (snapshot.getMetadata().getName().equals("xcm_rejected_requests")) {
        for (CounterSnapshot.CounterDataPointSnapshot point :
            ((CounterSnapshot) snapshot).getDataPoints()) {
          counts.put(
              "door="
                  + point.getLabels().get("door")
                  + ",reason="
                  + point.getLabels().get("reason"),
              point.getValue());
        }
      }
    }
    return counts;
  }
}
