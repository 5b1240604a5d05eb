package xcm.coordinator.leader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import xcm.coordinator.journal.Journal;
import xcm.coordinator.journal.JournalException;
import xcm.coordinator.journal.LocalPostgres;
import xcm.mbeans.CoordinatorRole;
import xcm.mbeans.HostState;
import xcm.mbeans.StandbyException;

/**
 * Two coordinators' leaderships on one PostgreSQL journal ({@link LocalPostgres}), each with a
 * journal (a pool) of its own, as two processes have. Rounds are driven by hand, so that a
 * coordinator that stops renewing is one whose rounds stop, as a frozen process's do.
 */
class LeadershipIT {
  private static final Duration LEASE = Duration.ofMillis(1200);

  private static LocalPostgres postgres;
  private static final AtomicInteger databases = new AtomicInteger();
  private Journal first;
  private Journal second;

  @BeforeAll
  static void startPostgres() throws Exception {
    postgres = LocalPostgres.start();
  }

  @AfterAll
  static void stopPostgres() throws Exception {
    postgres.close();
  }

  @BeforeEach
  void open() throws Exception {
    String url = postgres.createDatabase("lead" + databases.incrementAndGet());
    first = Journal.open(url, "xcm", "", Clock.systemUTC());
    second = Journal.open(url, "xcm", "", Clock.systemUTC());
  }

  @AfterEach
  void close() {
    first.close();
    second.close();
  }

  @Test
  void theFirstToAskIsActiveAndTheOtherAStandbyNamingIt() {
    Leadership c1 = new Leadership(first, "c1", LEASE);
    Leadership c2 = new Leadership(second, "c2", LEASE);

    c1.start("http://c1:8780/jolokia/");
    c2.start("http://c2:8780/jolokia/");

    assertThat(c1.role()).isEqualTo(CoordinatorRole.ACTIVE);
    assertThat(c1.epoch()).isEqualTo(1);
    assertThat(c2.role()).isEqualTo(CoordinatorRole.STANDBY);
    assertThatThrownBy(c2::epoch)
        .isInstanceOf(StandbyException.class)
        .hasMessage(
            "coordinator c2 is a standby: the active coordinator is c1 at http://c1:8780/jolokia/"
                + " (epoch 1)");
    c2.close();
    c1.close();
  }

  @Test
  void aStandbyTakesOverWhenTheActiveStopsRenewingAndTheFormerActiveActsOnNothing()
      throws Exception {
    Leadership c1 = new Leadership(first, "c1", LEASE);
    Leadership c2 = new Leadership(second, "c2", LEASE);
    List<Long> taken = new java.util.concurrent.CopyOnWriteArrayList<>();
    c2.onActive(taken::add);
    AtomicInteger deposed = new AtomicInteger();
    c1.onDeposed(deposed::incrementAndGet);
    c1.round();
    c2.round();
    first.hostMode("dmz01", HostState.DRAINING);
    assertThat(c2.active()).isFalse();

    // c1 freezes: no more rounds. Its lease runs out by the database's clock.
    Thread.sleep(LEASE.toMillis() + 200);
    assertThat(c1.active()).as("c1 knows its last renewal no longer holds").isFalse();
    assertThatThrownBy(c1::epoch).isInstanceOf(StandbyException.class);
    c2.round();

    assertThat(c2.role()).isEqualTo(CoordinatorRole.ACTIVE);
    assertThat(taken).containsExactly(2L);
    assertThat(c2.epoch()).isEqualTo(2);
    second.hostMode("dmz01", HostState.MAINTENANCE);
    // c1 wakes up: its write under epoch 1 is refused, its next round finds itself deposed.
    assertThatThrownBy(() -> first.hostMode("dmz01", HostState.ACTIVE))
        .isInstanceOf(JournalException.class)
        .hasMessageContaining(
            "this coordinator is not the active one (it held epoch 1, now epoch 2)");
    c1.round();
    assertThat(c1.role()).isEqualTo(CoordinatorRole.DEPOSED);
    assertThat(deposed).hasValue(1);
    assertThatThrownBy(c1::epoch)
        .isInstanceOf(StandbyException.class)
        .hasMessageContaining(
            "coordinator c1 is no longer the active one: the active coordinator is c2");
    assertThat(second.hostModes()).containsEntry("dmz01", HostState.MAINTENANCE);
    c1.close();
    c2.close();
  }

  @Test
  void theActiveKeepsTheLeaseAsLongAsItRenewsIt() throws Exception {
    Leadership c1 = new Leadership(first, "c1", LEASE);
    Leadership c2 = new Leadership(second, "c2", LEASE);
    c1.round();
    for (int i = 0; i < 6; i++) {
      Thread.sleep(LEASE.toMillis() / 4);
      c1.round();
      c2.round();
    }
    assertThat(c1.active()).isTrue();
    assertThat(c2.role()).isEqualTo(CoordinatorRole.STANDBY);
    assertThat(c2.seen().epoch()).isEqualTo(1);
    c1.close();
    c2.close();
  }

  @Test
  void anActiveThatStopsGivesTheLeaseUpAndAStandbyTakesItAtOnce() {
    Leadership c1 = new Leadership(first, "c1", Duration.ofMinutes(1));
    Leadership c2 = new Leadership(second, "c2", Duration.ofMinutes(1));
    c1.round();
    c2.round();
    assertThat(c2.active()).isFalse();

    c1.close();
    c2.round();

    assertThat(c2.active()).isTrue();
    assertThat(c2.epoch()).isEqualTo(2);
    c2.close();
  }

  @Test
  void aStandbyWritesNothingThatActsButRecordsAudit() {
    Leadership c1 = new Leadership(first, "c1", LEASE);
    Leadership c2 = new Leadership(second, "c2", LEASE);
    c1.round();
    c2.round();

    assertThatThrownBy(() -> second.hostMode("dmz01", HostState.DRAINING))
        .isInstanceOf(JournalException.class)
        .hasMessageContaining("this coordinator is not the active one");
    second.audit(java.time.Instant.now(), "jolokia", "ops", "drain dmz01", "refused");
    assertThat(first.recentAudit(10)).hasSize(1);
    assertThat(first.hostModes()).isEmpty();
    c1.close();
    c2.close();
  }
}
