package xcm.agent.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xcm.agent.Fixtures;
import xcm.agent.MutableClock;
import xcm.agent.libvirt.DomainNotFoundException;
import xcm.agent.libvirt.Hypervisor;
import xcm.agent.libvirt.HypervisorException;
import xcm.agent.libvirt.LibvirtHypervisor;
import xcm.mbeans.DomainState;
import xcm.trust.ca.ClusterAuthority;
import xcm.trust.ticket.Handover;
import xcm.trust.ticket.TicketVerifier;

/**
 * An enrolled destination, lab02 (db01 running, app02 shut off, on the test driver), taking new01
 * in from lab01 only with the coordinator's ticket: checked against a real cluster authority's
 * certificate, the caller being the Jolokia user another agent's certificate makes ({@code
 * agent:lab01}).
 */
class IncomingTicketsTest {
  private static final UUID NEW01_UUID = UUID.fromString("bbbbbbbb-0000-4000-8000-000000000001");
  private static final String NEW01 = Fixtures.domainXml("new01", NEW01_UUID.toString(), 256, 1);
  private static final String LAB01 = "agent:lab01";
  private static final Handover HANDOVER = new Handover(NEW01_UUID, "new01", "lab01", "lab02");

  @TempDir Path dir;
  private ClusterAuthority authority;
  private MutableClock clock;
  private Hypervisor hypervisor;
  private IncomingMigrations incoming;

  @BeforeEach
  void enrolledDestination() throws Exception {
    authority = ClusterAuthority.builder().directory(dir.resolve("ca")).open();
    clock = new MutableClock(Instant.now());
    hypervisor = LibvirtHypervisor.open(Fixtures.testUri("lab02.xml"));
    TicketVerifier verifier =
        TicketVerifier.builder().authority(authority.certificate()).clock(clock).build();
    incoming =
        new IncomingMigrations(
            "lab02",
            hypervisor,
            new DomainLocks(),
            IncomingTickets.checkedBy("lab02", verifier, clock));
  }

  @AfterEach
  void close() {
    hypervisor.close();
  }

  private String ticket(Handover handover) {
    return authority.ticketIssuer().issue(handover, Duration.ofMinutes(15)).text();
  }

  private DomainState state(String domain) throws HypervisorException {
    try {
      return hypervisor.domainState(domain);
    } catch (DomainNotFoundException e) {
      return null;
    }
  }

  private void assertPrepareRefused(String ticket, String caller, String refusal)
      throws HypervisorException {
    assertThatThrownBy(() -> incoming.prepare(NEW01, ticket, caller))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(refusal);
    assertThat(state("new01")).isNull();
    assertThat(incoming.isIncoming("new01")).isFalse();
  }

  @Test
  void aTicketForThisDomainFromTheCallingAgentToThisHostTakesItIn() throws Exception {
    String ticket = ticket(HANDOVER);

    incoming.prepare(NEW01, ticket, LAB01);
    assertThat(state("new01")).isEqualTo(DomainState.SHUTOFF);
    incoming.finish("new01", ticket, LAB01);

    assertThat(state("new01")).isEqualTo(DomainState.RUNNING);
    assertThat(incoming.isIncoming("new01")).isFalse();
    // An answer lost: the source asks FINISH again with the same (now spent) ticket.
    incoming.finish("new01", ticket, LAB01);
  }

  @Test
  void aTicketForAnotherSourceIsRefusedAndNothingIsDefined() throws Exception {
    assertPrepareRefused(
        ticket(new Handover(NEW01_UUID, "new01", "lab03", "lab02")),
        LAB01,
        "lab02: hand-over of domain 'new01' from lab01 refused: WRONG_SOURCE: it is for a"
            + " hand-over from lab03, this one is from lab01");
  }

  @Test
  void aTicketForAnotherDestinationIsRefusedAndNothingIsDefined() throws Exception {
    assertPrepareRefused(
        ticket(new Handover(NEW01_UUID, "new01", "lab01", "lab03")),
        LAB01,
        "lab02: hand-over of domain 'new01' from lab01 refused: WRONG_DESTINATION: it is for"
            + " lab03, this is lab02");
  }

  @Test
  void aTicketForAnotherDomainIsRefusedAndNothingIsDefined() throws Exception {
    UUID other = UUID.fromString("bbbbbbbb-0000-4000-8000-000000000009");
    assertPrepareRefused(
        ticket(new Handover(other, "new01", "lab01", "lab02")),
        LAB01,
        "lab02: hand-over of domain 'new01' from lab01 refused: WRONG_DOMAIN: it is for domain"
            + " \"new01\" ("
            + other
            + "), asked for \"new01\" ("
            + NEW01_UUID
            + ")");
  }

  @Test
  void anExpiredTicketIsRefusedAndNothingIsDefined() throws Exception {
    String ticket = ticket(HANDOVER);
    // Past its expiry and the minute of clock skew allowed.
    clock.advance(Duration.ofMinutes(17));

    assertThatThrownBy(() -> incoming.prepare(NEW01, ticket, LAB01))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(
            "lab02: hand-over of domain 'new01' from lab01 refused: EXPIRED: it expired at ");
    assertThat(state("new01")).isNull();
  }

  @Test
  void aTicketIsRefusedAsReplayedOnceItsHandOverFinished() throws Exception {
    String ticket = ticket(HANDOVER);
    incoming.prepare(NEW01, ticket, LAB01);
    incoming.finish("new01", ticket, LAB01);
    // The domain moves on again (back to lab01, say): lab02 no longer has it.
    hypervisor.destroyDomain("new01");
    hypervisor.undefineDomain("new01");

    assertThatThrownBy(() -> incoming.prepare(NEW01, ticket, LAB01))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(
            "lab02: hand-over of domain 'new01' from lab01 refused: REPLAYED: it was already used"
                + " (nonce ");
    assertThat(state("new01")).isNull();
  }

  @Test
  void aTicketIsSpentOnceItsHandOverIsUndone() throws Exception {
    String ticket = ticket(HANDOVER);
    incoming.prepare(NEW01, ticket, LAB01);
    incoming.abort("new01", ticket, LAB01);
    assertThat(state("new01")).isNull();

    assertThatThrownBy(() -> incoming.prepare(NEW01, ticket, LAB01))
        .hasMessageContaining(" refused: REPLAYED: ");
    assertThat(state("new01")).isNull();
  }

  @Test
  void aTicketAnotherAuthoritySignedIsRefusedAndNothingIsDefined() throws Exception {
    ClusterAuthority other = ClusterAuthority.builder().directory(dir.resolve("other")).open();

    assertPrepareRefused(
        other.ticketIssuer().issue(HANDOVER, Duration.ofMinutes(15)).text(),
        LAB01,
        "lab02: hand-over of domain 'new01' from lab01 refused: BAD_SIGNATURE: its signature is"
            + " not this cluster authority's, or it was changed after signing");
  }

  @Test
  void noTicketIsRefusedAndNothingIsDefined() throws Exception {
    assertPrepareRefused(
        "",
        LAB01,
        "lab02: hand-over of domain 'new01' from lab01 refused: MALFORMED: it is not two"
            + " base64url parts joined by a dot");
  }

  @Test
  void aCallerThatIsNoAgentByItsCertificateIsRefusedEvenWithAValidTicket() throws Exception {
    String refusal =
        " refused: this agent is enrolled and takes domains only from another agent of the"
            + " cluster, by its certificate, with the coordinator's ticket";
    assertPrepareRefused(
        ticket(HANDOVER), "peer", "lab02: hand-over of domain 'new01' from peer" + refusal);
    assertPrepareRefused(
        ticket(HANDOVER),
        null,
        "lab02: hand-over of domain 'new01' from an unauthenticated caller" + refusal);
    assertPrepareRefused(
        ticket(HANDOVER),
        "coordinator:coord1",
        "lab02: hand-over of domain 'new01' from coordinator:coord1" + refusal);
  }

  @Test
  void finishAndAbortNeedTheTicketTheHandOverBeganWithFromTheAgentThatBeganIt() throws Exception {
    String ticket = ticket(HANDOVER);
    incoming.prepare(NEW01, ticket, LAB01);

    assertThatThrownBy(() -> incoming.finish("new01", ticket, "agent:lab03"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "lab02: hand-over of domain 'new01' from lab03 refused: WRONG_SOURCE: it is for a"
                + " hand-over from lab01, this one is from lab03");
    assertThatThrownBy(() -> incoming.abort("new01", ticket(HANDOVER), LAB01))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(
            "lab02: hand-over of domain 'new01' from lab01 refused: it is not the ticket the"
                + " hand-over began with (nonce ");
    assertThatThrownBy(() -> incoming.finish("new01", "", LAB01))
        .hasMessageContaining(" refused: MALFORMED: ");
    assertThat(state("new01")).isEqualTo(DomainState.SHUTOFF);
    assertThat(incoming.isIncoming("new01")).isTrue();

    incoming.finish("new01", ticket, LAB01);
    assertThat(state("new01")).isEqualTo(DomainState.RUNNING);
  }

  @Test
  void aHandOverThatBeganInTimeIsFinishedWithItsTicketAfterItExpired() throws Exception {
    String ticket = ticket(HANDOVER);
    incoming.prepare(NEW01, ticket, LAB01);
    clock.advance(Duration.ofMinutes(17));

    incoming.finish("new01", ticket, LAB01);

    assertThat(state("new01")).isEqualTo(DomainState.RUNNING);
  }

  @Test
  void theCoordinatorFinishesOrUndoesAHandOverWithoutATicket() throws Exception {
    incoming.prepare(NEW01, ticket(HANDOVER), LAB01);

    incoming.abort("new01", "", "coordinator:coord1");

    assertThat(state("new01")).isNull();
    assertThat(incoming.isIncoming("new01")).isFalse();
  }

  @Test
  void finishOfADomainNoHandOverBroughtInNeedsATicketForIt() throws Exception {
    assertThatThrownBy(() -> incoming.finish("app02", "", LAB01))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("hand-over of domain 'app02' from lab01 refused: MALFORMED: ");
    assertThatThrownBy(() -> incoming.abort("db01", ticket(HANDOVER), LAB01))
        .hasMessageContaining(
            "hand-over of domain 'db01' from lab01 refused: WRONG_DOMAIN: it is for domain"
                + " \"new01\"");
    assertThat(state("app02")).isEqualTo(DomainState.SHUTOFF);
    assertThat(state("db01")).isEqualTo(DomainState.RUNNING);
  }

  @Test
  void anAgentThatIsNotEnrolledChecksNoTicket() throws Exception {
    IncomingMigrations unchecked = new IncomingMigrations("lab02", hypervisor, new DomainLocks());

    unchecked.prepare(NEW01, "", "peer");
    unchecked.finish("new01", "", "peer");

    assertThat(state("new01")).isEqualTo(DomainState.RUNNING);
  }
}
