package xcm.agent.migration;

import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import xcm.agent.libvirt.DomainIdentity;
import xcm.trust.ticket.Handover;
import xcm.trust.ticket.HandoverTicket;
import xcm.trust.ticket.SpentTickets;
import xcm.trust.ticket.TicketRejectedException;
import xcm.trust.ticket.TicketRejectedException.Reason;
import xcm.trust.ticket.TicketVerifier;

/**
 * The destination's check that the coordinator allowed a hand-over: on an enrolled agent another
 * agent hands a domain over only with a ticket the cluster authority signed for that domain (UUID
 * and name), that agent (the caller its certificate names, {@code agent:<host>}) and this host; its
 * FINISH and abort come with the same ticket from the same agent. A ticket allows one hand-over: it
 * is spent when the hand-over finishes or is undone ({@link #spend}), and refused ({@code
 * REPLAYED}) when it comes again.
 *
 * <p>An operator — the coordinator ({@code coordinator:<name>}) or a local operator user — may
 * finish or undo a hand-over without a ticket: the coordinator settles moves it lost sight of, and
 * either may destroy, undefine or start any domain here anyway. Only another agent ({@code
 * agent:<name>}, the peer role) needs the ticket for those. An agent that is not enrolled checks no
 * tickets.
 *
 * <p>Spent tickets are kept in memory only ({@link SpentTickets}): an agent that restarts forgets
 * them, and a ticket spent before could take the domain in once more until it expires (the
 * coordinator's migration timeout and a margin). It takes nothing it already holds: PREPARE still
 * refuses a domain whose name or UUID is defined here.
 *
 * <p>Every refusal is an {@link IllegalArgumentException} (nothing changed) naming this host, the
 * domain, the caller and the ticket's {@link Reason}: {@code dmz02: hand-over of domain 'web01'
 * from dmz03 refused: WRONG_SOURCE: it is for a hand-over from dmz01, this one is from dmz03}.
 *
 * <p>Not thread-safe alone: {@link IncomingMigrations} calls it under its own lock.
 */
public final class IncomingTickets {
  /** Jolokia's user name of another agent, by its certificate. */
  static final String AGENT = "agent:";

  /** Jolokia's user name of the coordinator, by its certificate. */
  static final String COORDINATOR = "coordinator:";

  private final String host;
  private final TicketVerifier verifier;
  private final SpentTickets spent;

  private IncomingTickets(String host, TicketVerifier verifier, SpentTickets spent) {
    this.host = host;
    this.verifier = verifier;
    this.spent = spent;
  }

  /** No tickets checked: an agent that is not enrolled (no peer can reach it by certificate). */
  public static IncomingTickets unchecked(String host) {
    return new IncomingTickets(host, null, null);
  }

  /**
   * Tickets checked by {@code verifier} (the cluster authority's certificate).
   *
   * @param clock the time spent tickets are forgotten by, as the verifier's
   */
  public static IncomingTickets checkedBy(String host, TicketVerifier verifier, Clock clock) {
    // The verifier's default skew: a ticket could pass that long after its expiry.
    return new IncomingTickets(
        host,
        Objects.requireNonNull(verifier, "verifier"),
        new SpentTickets(clock, Duration.ofSeconds(60)));
  }

  /** Checked, or unchecked when {@code verifier} is empty. */
  public static IncomingTickets of(String host, Optional<TicketVerifier> verifier) {
    return verifier.map(v -> checkedBy(host, v, Clock.systemUTC())).orElse(unchecked(host));
  }

  /**
   * PREPARE's check: the ticket for this domain, from the calling agent, to this host, not spent.
   *
   * @param caller the Jolokia user who asked, or null
   * @return the ticket, to be asked for again by FINISH and abort; null when tickets are not
   *     checked
   * @throws IllegalArgumentException the refusal
   */
  HandoverTicket admit(DomainIdentity domain, String text, String caller) {
    if (verifier == null) {
      return null;
    }
    String source = sourceOf(domain.name(), caller);
    try {
      UUID uuid = uuidOf(domain.uuid());
      if (uuid == null) {
        throw new TicketRejectedException(
            Reason.WRONG_DOMAIN, "the domain XML names no UUID, and a ticket is for one");
      }
      HandoverTicket ticket = verifier.verify(text, handover(uuid, domain.name(), source));
      if (spent.isSpent(ticket)) {
        throw new TicketRejectedException(
            Reason.REPLAYED, "it was already used (nonce " + ticket.nonce() + ")");
      }
      return ticket;
    } catch (TicketRejectedException e) {
      throw refused(domain.name(), source, e);
    }
  }

  /**
   * FINISH's and abort's check while a hand-over is coming in: the ticket PREPARE came with, from
   * the agent that sent it; or the coordinator.
   *
   * @param taken what {@link #admit} returned
   */
  void requireSame(String domain, HandoverTicket taken, String text, String caller) {
    if (verifier == null || taken == null || isOperator(caller)) {
      return;
    }
    String source = sourceOf(domain, caller);
    // The very ticket PREPARE verified: its expiry no longer matters, so that a hand-over that
    // began in time can always be finished or undone by the agent that began it.
    if (source.equals(taken.handover().source()) && taken.text().equals(text)) {
      return;
    }
    try {
      HandoverTicket other =
          verifier.verify(text, handover(taken.handover().domainUuid(), domain, source));
      throw refused(
          domain,
          source,
          "it is not the ticket the hand-over began with (nonce "
              + other.nonce()
              + ", the hand-over's is "
              + taken.nonce()
              + ")");
    } catch (TicketRejectedException e) {
      throw refused(domain, source, e);
    }
  }

  /**
   * FINISH's and abort's check when no hand-over of the domain is coming in (it finished, was never
   * prepared, or this agent restarted): still a valid ticket for this domain, from the calling
   * agent, to this host, so that nobody without one learns what this host holds. A spent ticket
   * passes: the source asks FINISH again when an answer was lost.
   */
  void requireFor(String domain, String text, String caller) {
    if (verifier == null || isOperator(caller)) {
      return;
    }
    String source = sourceOf(domain, caller);
    try {
      // The ticket's own UUID: the domain may not be here to tell its own.
      HandoverTicket stated = verifier.verify(text);
      verifier.verify(text, handover(stated.handover().domainUuid(), domain, source));
    } catch (TicketRejectedException e) {
      throw refused(domain, source, e);
    }
  }

  /** Spends a hand-over's ticket once it finished or was undone; null (unchecked) is nothing. */
  void spend(HandoverTicket ticket) {
    if (ticket == null || spent.isSpent(ticket)) {
      return;
    }
    try {
      spent.spend(ticket);
    } catch (TicketRejectedException e) {
      // Not reachable: checked just above, and every call runs under IncomingMigrations' lock.
      throw new IllegalStateException(host + ": " + e.getMessage(), e);
    }
  }

  /** Whether tickets are checked here (the agent is enrolled). */
  public boolean checked() {
    return verifier != null;
  }

  private Handover handover(UUID uuid, String domain, String source)
      throws TicketRejectedException {
    try {
      return new Handover(uuid, domain, source, host);
    } catch (IllegalArgumentException e) {
      // A name no ticket can carry (too long, or the caller is this host): none can be for it.
      throw new TicketRejectedException(Reason.WRONG_DOMAIN, e.getMessage());
    }
  }

  /** The calling agent's host name; anyone else is refused. */
  private String sourceOf(String domain, String caller) {
    if (caller != null && caller.startsWith(AGENT) && caller.length() > AGENT.length()) {
      return caller.substring(AGENT.length());
    }
    throw new IllegalArgumentException(
        host
            + ": hand-over of domain '"
            + domain
            + "' from "
            + (caller == null ? "an unauthenticated caller" : caller)
            + " refused: this agent is enrolled and takes domains only from another agent of the"
            + " cluster, by its certificate, with the coordinator's ticket");
  }

  /** Anyone but another agent who may call a hand-over's operations is this agent's operator. */
  private static boolean isOperator(String caller) {
    return caller == null || !caller.startsWith(AGENT);
  }

  private IllegalArgumentException refused(
      String domain, String source, TicketRejectedException e) {
    String prefix = "hand-over ticket refused (" + e.reason() + "): ";
    String detail =
        e.getMessage().startsWith(prefix)
            ? e.getMessage().substring(prefix.length())
            : e.getMessage();
    return refused(domain, source, e.reason() + ": " + detail);
  }

  private IllegalArgumentException refused(String domain, String source, String why) {
    return new IllegalArgumentException(
        host + ": hand-over of domain '" + domain + "' from " + source + " refused: " + why);
  }

  /** A UUID as libvirt writes it (with or without dashes, any case); null when none or not one. */
  static UUID uuidOf(String text) {
    if (text == null) {
      return null;
    }
    String hex = text.replace("-", "").toLowerCase(Locale.ROOT);
    if (!hex.matches("[0-9a-f]{32}")) {
      return null;
    }
    return UUID.fromString(
        hex.substring(0, 8)
            + "-"
            + hex.substring(8, 12)
            + "-"
            + hex.substring(12, 16)
            + "-"
            + hex.substring(16, 20)
            + "-"
            + hex.substring(20));
  }
}
