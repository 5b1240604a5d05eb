package xcm.trust.ticket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.OptionalLong;
import java.util.UUID;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xcm.trust.ca.ClusterAuthority;
import xcm.trust.ticket.TicketRejectedException.Reason;

class HandoverTicketTest {
  private static final Instant NOW = Instant.parse("2025-03-01T10:00:00Z");
  private static final UUID DOMAIN = UUID.fromString("9c1e2f3a-0b4d-4e5f-8a6b-7c8d9e0f1a2b");
  private static final Handover WEB1 = new Handover(DOMAIN, "web-1", "hv01", "hv02");

  @TempDir Path temp;
  private ClusterAuthority authority;
  private TicketVerifier verifier;

  @BeforeEach
  void authority() throws Exception {
    authority = authorityIn(temp.resolve("ca"));
    verifier = verifierAt(NOW);
  }

  private static ClusterAuthority authorityIn(Path dir) throws Exception {
    return ClusterAuthority.builder().directory(dir).clock(Clock.fixed(NOW, ZoneOffset.UTC)).open();
  }

  private TicketVerifier verifierAt(Instant now) {
    return TicketVerifier.builder()
        .authority(authority.certificate())
        .clock(Clock.fixed(now, ZoneOffset.UTC))
        .build();
  }

  private HandoverTicket issue(Handover handover) {
    return authority.ticketIssuer().issue(handover, Duration.ofMinutes(15), OptionalLong.of(7));
  }

  @Test
  void ticketTheCoordinatorSignedIsAcceptedForExactlyItsHandover() throws Exception {
    HandoverTicket issued = issue(WEB1);

    HandoverTicket accepted = verifier.verify(issued.text(), WEB1);

    assertThat(accepted.handover()).isEqualTo(WEB1);
    assertThat(accepted.issuedAt()).isEqualTo(NOW);
    assertThat(accepted.expiresAt()).isEqualTo(NOW.plus(Duration.ofMinutes(15)));
    assertThat(accepted.epoch()).hasValue(7);
    assertThat(accepted.nonce()).isEqualTo(issued.nonce()).hasSize(22);
    assertThat(payload(issued.text()))
        .isEqualTo(
            "xcm-handover-ticket/1\n"
                + "domain-uuid: 9c1e2f3a-0b4d-4e5f-8a6b-7c8d9e0f1a2b\n"
                + "domain-name: web-1\n"
                + "source: hv01\n"
                + "destination: hv02\n"
                + "issued-at: 2025-03-01T10:00:00Z\n"
                + "expires-at: 2025-03-01T10:15:00Z\n"
                + "nonce: "
                + issued.nonce()
                + "\n"
                + "epoch: 7");
  }

  @Test
  void domainNamesOfAnyCharactersGoThrough() throws Exception {
    Handover odd = new Handover(DOMAIN, "web 1,\"prod\"=:ü\n", "hv01", "hv02");
    HandoverTicket issued = issue(odd);

    assertThat(payload(issued.text()))
        .contains("domain-name: web%201%2C%22prod%22%3D%3A%C3%BC%0A\n");
    assertThat(verifier.verify(issued.text(), odd).handover().domainName())
        .isEqualTo("web 1,\"prod\"=:ü\n");
  }

  @Test
  void ticketWhosePayloadWasChangedIsRefused() {
    String text = issue(WEB1).text();
    String changed =
        encode(payload(text).replace("destination: hv02", "destination: hv03"))
            + text.substring(text.indexOf('.'));

    rejected(
        () -> verifier.verify(changed, new Handover(DOMAIN, "web-1", "hv01", "hv03")),
        Reason.BAD_SIGNATURE,
        "hand-over ticket refused (BAD_SIGNATURE): its signature is not this cluster authority's,"
            + " or it was changed after signing");
  }

  @Test
  void ticketSignedByAnotherClustersAuthorityIsRefused() throws Exception {
    ClusterAuthority other = authorityIn(temp.resolve("other-ca"));
    String text = other.ticketIssuer().issue(WEB1, Duration.ofMinutes(15)).text();

    rejected(() -> verifier.verify(text, WEB1), Reason.BAD_SIGNATURE, null);
  }

  @Test
  void expiredTicketIsRefused() {
    String text = issue(WEB1).text();
    TicketVerifier later = verifierAt(NOW.plus(Duration.ofMinutes(17)));

    rejected(
        () -> later.verify(text, WEB1),
        Reason.EXPIRED,
        "hand-over ticket refused (EXPIRED): it expired at 2025-03-01T10:15:00Z, now is"
            + " 2025-03-01T10:17:00Z");
  }

  @Test
  void ticketFromTheFutureIsRefused() {
    String text = issue(WEB1).text();
    TicketVerifier earlier = verifierAt(NOW.minus(Duration.ofMinutes(5)));

    rejected(() -> earlier.verify(text, WEB1), Reason.NOT_YET_VALID, null);
  }

  @Test
  void ticketValidForTooLongIsRefused() {
    String text = authority.ticketIssuer().issue(WEB1, Duration.ofDays(2)).text();

    rejected(
        () -> verifier.verify(text, WEB1),
        Reason.LIFETIME_TOO_LONG,
        "hand-over ticket refused (LIFETIME_TOO_LONG): it is valid for PT48H, more than the PT24H"
            + " accepted");
  }

  @Test
  void ticketForAnotherHandoverIsRefusedNamingBoth() {
    String text = issue(WEB1).text();

    rejected(
        () -> verifier.verify(text, new Handover(DOMAIN, "web-1", "hv01", "hv03")),
        Reason.WRONG_DESTINATION,
        "hand-over ticket refused (WRONG_DESTINATION): it is for hv02, this is hv03");
    rejected(
        () -> verifier.verify(text, new Handover(DOMAIN, "web-1", "hv09", "hv02")),
        Reason.WRONG_SOURCE,
        "hand-over ticket refused (WRONG_SOURCE): it is for a hand-over from hv01, this one is"
            + " from hv09");
    rejected(
        () -> verifier.verify(text, new Handover(UUID.randomUUID(), "web-1", "hv01", "hv02")),
        Reason.WRONG_DOMAIN,
        null);
    rejected(
        () -> verifier.verify(text, new Handover(DOMAIN, "web-2", "hv01", "hv02")),
        Reason.WRONG_DOMAIN,
        null);
  }

  @Test
  void textThatIsNoTicketIsRefused() {
    rejected(() -> verifier.verify("x".repeat(5000), WEB1), Reason.MALFORMED, null);
    rejected(() -> verifier.verify("abc", WEB1), Reason.MALFORMED, null);
    rejected(() -> verifier.verify("a.b.c", WEB1), Reason.MALFORMED, null);
    rejected(() -> verifier.verify("!!.??", WEB1), Reason.MALFORMED, null);
    rejected(() -> verifier.verify(null, WEB1), Reason.MALFORMED, null);
  }

  @Test
  void payloadReadsOnlyAsItIsWritten() {
    TicketPayload.Fields fields =
        new TicketPayload.Fields(
            WEB1, NOW, NOW.plusSeconds(60), "AAAAAAAAAAAAAAAAAAAAAA", OptionalLong.empty());
    String written = new String(TicketPayload.write(fields), StandardCharsets.UTF_8);
    assertThat(TicketPayload.read(written.getBytes(StandardCharsets.UTF_8))).isEqualTo(fields);

    for (String variant :
        new String[] {
          written + "\n",
          written.replace("domain-uuid: 9c1e", "domain-uuid: 9C1E"),
          written.replace("web-1", "web%2d1"),
          written.replace("10:00:00Z", "10:00:00.000Z"),
          written.replace("epoch: none", "epoch: 007"),
          written.replace("source: hv01\ndestination: hv02", "destination: hv02\nsource: hv01")
        }) {
      assertThatThrownBy(() -> TicketPayload.read(variant.getBytes(StandardCharsets.UTF_8)))
          .as(variant)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void aTicketAllowsOneHandover() throws Exception {
    HandoverTicket ticket = verifier.verify(issue(WEB1).text(), WEB1);
    SpentTickets spent = new SpentTickets(Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofSeconds(60));

    spent.spend(ticket);

    assertThat(spent.isSpent(ticket)).isTrue();
    rejected(() -> spent.spend(ticket), Reason.REPLAYED, null);
    spent.spend(verifier.verify(issue(WEB1).text(), WEB1));
  }

  private static void rejected(ThrowingCallable call, Reason reason, String message) {
    var thrown =
        assertThatThrownBy(call)
            .isInstanceOfSatisfying(
                TicketRejectedException.class, e -> assertThat(e.reason()).isEqualTo(reason));
    if (message != null) {
      thrown.hasMessage(message);
    }
  }

  private static String payload(String text) {
    return new String(
        Base64.getUrlDecoder().decode(text.substring(0, text.indexOf('.'))),
        StandardCharsets.UTF_8);
  }

  private static String encode(String payload) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(payload.getBytes(StandardCharsets.UTF_8));
  }
}
