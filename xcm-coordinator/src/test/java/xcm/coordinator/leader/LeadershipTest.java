package xcm.coordinator.leader;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xcm.coordinator.journal.Journal;
import xcm.mbeans.CoordinatorRole;

/** Leadership on an H2 journal, which one process holds at a time. */
class LeadershipTest {
  @TempDir Path dir;

  @Test
  void aLoneCoordinatorIsActiveAtOnceEvenAfterOneThatDiedHoldingTheLease() {
    String url = "jdbc:h2:file:" + dir.resolve("journal");
    try (Journal journal = Journal.open(url, "", "", Clock.systemUTC())) {
      Leadership before = new Leadership(journal, "c1", Duration.ofMinutes(5));
      before.round();
      assertThat(before.epoch()).isEqualTo(1);
      // Killed: the lease is neither released nor run out.
    }
    try (Journal journal = Journal.open(url, "", "", Clock.systemUTC())) {
      Leadership after = new Leadership(journal, "c1", Duration.ofMinutes(5));
      after.start("http://c1/");

      assertThat(after.role()).isEqualTo(CoordinatorRole.ACTIVE);
      assertThat(after.epoch()).isEqualTo(2);
      after.close();
    }
  }
}
