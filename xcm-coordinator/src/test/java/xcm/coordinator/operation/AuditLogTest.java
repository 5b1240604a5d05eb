package xcm.coordinator.operation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import xcm.coordinator.journal.Journal;

class AuditLogTest {
  private static final Instant T0 = Instant.parse("2025-01-01T10:00:00Z");

  @Test
  void pruningDropsEntriesPastTheRetentionFromTheJournalAndFromTheView() {
    try (Journal journal = Journal.inMemory(Clock.systemUTC())) {
      for (int day = 0; day < 5; day++) {
        AuditLog writer =
            new AuditLog(Clock.fixed(T0.plus(Duration.ofDays(day)), ZoneOffset.UTC), journal);
        writer.record(new Requester("jolokia", "xcm"), "drain h" + day, "done");
      }
      AuditLog audit =
          new AuditLog(Clock.fixed(T0.plus(Duration.ofDays(5)), ZoneOffset.UTC), journal);

      int deleted =
          audit.prune(new AuditRetention(Duration.ofDays(3), 1_000_000, Duration.ofHours(1)));

      assertThat(deleted).isEqualTo(2);
      assertThat(audit.entries())
          .extracting(AuditLog.Entry::action)
          .containsExactly("drain h4", "drain h3", "drain h2");
      assertThat(journal.auditSize()).isEqualTo(3);

      audit.prune(new AuditRetention(Duration.ofDays(3), 1, Duration.ofHours(1)));

      assertThat(audit.entries()).extracting(AuditLog.Entry::action).containsExactly("drain h4");
      assertThat(journal.recentAudit(10))
          .extracting(Journal.AuditRow::action)
          .containsExactly("drain h4");
    }
  }

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
