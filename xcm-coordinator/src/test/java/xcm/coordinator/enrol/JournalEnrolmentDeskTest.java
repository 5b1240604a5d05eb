package xcm.coordinator.enrol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import xcm.coordinator.enrol.EnrolmentAnswer.Issued;
import xcm.coordinator.journal.Journal;
import xcm.coordinator.journal.JournalException;
import xcm.mbeans.StandbyException;
import xcm.trust.Keys;
import xcm.trust.enrol.EnrolmentTokens;
import xcm.trust.enrol.TokenStore;

/**
 * The desk on the journal, as coordinators share it: every test of {@link EnrolmentDeskTest}, and
 * what a second coordinator's desk sees of the first one's work.
 */
class JournalEnrolmentDeskTest extends EnrolmentDeskTest {
  private final String database = "jdbc:h2:mem:desk-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
  private final List<Journal> journals = new ArrayList<>();
  private Journal journal;

  @AfterEach
  void close() {
    journals.forEach(Journal::close);
  }

  private Journal journal() {
    if (journal == null) {
      journal = another();
    }
    return journal;
  }

  /** Another coordinator's connection to the same journal. */
  private Journal another() {
    Journal j = Journal.open(database, "", "", clock);
    journals.add(j);
    return j;
  }

  @Override
  EnrolledStore store() {
    return journal().registry().enrolled();
  }

  @Override
  TokenStore tokenStore() {
    return journal().registry().tokens();
  }

  @Override
  void theFileIsItsOwnersOnly() throws IOException {
    // No file: the journal keeps the hosts.
  }

  /** The desk of another coordinator on the same journal, as a standby (or a next active) has. */
  private EnrolmentDesk otherDesk(Journal on, List<Enrolled> announced) {
    EnrolmentDesk other =
        new EnrolmentDesk(
            authority,
            new EnrolmentTokens(on.registry().tokens(), clock, RANDOM),
            on.registry().enrolled(),
            () -> {
              throw new StandbyException("coordinator c2 is a standby: the active one is c1");
            },
            clock);
    other.onEnrolled(announced::add);
    return other;
  }

  @Test
  void aStandbysDeskFollowsEnrolmentsMovesAndRemovalsOfTheActive() throws Exception {
    List<Enrolled> announced = new ArrayList<>();
    EnrolmentDesk standby = otherDesk(another(), announced);
    var key = Keys.generate(RANDOM);
    desk.submit(request(key, "hv01", UUID_1, "https://10.0.0.1:8778/"));
    desk.approve("hv01", "");

    standby.refresh();

    Enrolled hv01 = desk.enrolled("hv01").orElseThrow();
    assertThat(standby.enrolled("hv01")).contains(hv01);
    assertThat(standby.enrolledAt("10.0.0.1", 8778)).contains(hv01);
    assertThat(announced).containsExactly(hv01);

    standby.refresh();
    assertThat(announced).as("nothing changed, nothing announced").hasSize(1);

    desk.revoke("hv01");
    standby.refresh();

    assertThat(standby.enrolled()).isEmpty();
    assertThat(standby.revocations().isRevoked(new BigInteger(hv01.serial(), 16))).isTrue();
  }

  @Test
  void aStandbysDeskChangesNothingAndNamesTheActive() throws IOException {
    EnrolmentDesk standby = otherDesk(another(), new ArrayList<>());
    var key = Keys.generate(RANDOM);

    assertThatThrownBy(() -> standby.submit(request(key, "hv01", UUID_1, "https://10.0.0.1:8778/")))
        .isInstanceOf(StandbyException.class)
        .hasMessageContaining("the active one is c1");
    assertThatThrownBy(() -> standby.issueToken("hv01", Duration.ofHours(1)))
        .isInstanceOf(StandbyException.class);
    assertThat(journal().registry().tokens().load()).isEmpty();
    assertThat(journal().registry().enrolled().since(0).enrolled()).isEmpty();
  }

  @Test
  void aTokenIssuedByOneCoordinatorIsRedeemedOnTheNextOnce() {
    String token = desk.issueToken("hv01", Duration.ofHours(1));
    Journal next = another();
    EnrolmentDesk taken =
        new EnrolmentDesk(
            authority,
            new EnrolmentTokens(next.registry().tokens(), clock, RANDOM),
            next.registry().enrolled(),
            () -> 2,
            clock);

    var first =
        taken.submit(
            withToken(
                request(Keys.generate(RANDOM), "hv01", UUID_1, "https://10.0.0.1:8778/"), token));
    var again =
        taken.submit(
            withToken(
                request(Keys.generate(RANDOM), "hv01", UUID_1, "https://10.0.0.1:8778/"), token));

    assertThat(first).isInstanceOf(Issued.class);
    assertThat(again).isNotInstanceOf(Issued.class);
  }

  @Test
  void aDeskWhoseCoordinatorLostTheLeaseRecordsNothing() {
    String token = desk.issueToken("hv01", Duration.ofHours(1));
    journal().standingBy();

    assertThatThrownBy(
            () ->
                desk.submit(
                    withToken(
                        request(Keys.generate(RANDOM), "hv01", UUID_1, "https://10.0.0.1:8778/"),
                        token)))
        .isInstanceOf(JournalException.class)
        .hasMessageContaining("not the active one");
    assertThat(desk.enrolled()).isEmpty();
    assertThat(another().registry().enrolled().since(0).enrolled()).isEmpty();
  }
}
