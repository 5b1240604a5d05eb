package xcm.coordinator.operation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import org.junit.jupiter.api.Test;
import xcm.coordinator.journal.Journal;

class AuditLogTest {
  @Test
  void hugeRequestsAreKeptShortenedSoThatTheLogCannotFillTheHeap() {
    String host = "h".repeat(1_000_000);
    AuditLog.Entry entry;
    try (Journal journal = Journal.inMemory(Clock.systemUTC())) {
      AuditLog audit = new AuditLog(Clock.systemUTC(), journal);

      audit.record(
          new Requester("jolokia", "xcm"), "drain " + host, "refused: unknown host " + host);

      entry = audit.entries().get(0);
    }
    assertThat(entry.action().length()).isLessThan(1100);
    assertThat(entry.action()).startsWith("drain hhh").endsWith("... (1000006 characters)");
    assertThat(entry.result()).endsWith("... (1000022 characters)");
  }
}
