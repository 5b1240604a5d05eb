package xcm.coordinator.enrol;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import xcm.coordinator.enrol.EnrolmentAnswer.Issued;
import xcm.coordinator.enrol.EnrolmentAnswer.Refused;
import xcm.mbeans.EnrolledHost;
import xcm.mbeans.PendingEnrolment;
import xcm.trust.CertificateRequest;
import xcm.trust.InvalidRequestException;
import xcm.trust.Pem;
import xcm.trust.Revocations;
import xcm.trust.Subject;
import xcm.trust.ca.ClusterAuthority;
import xcm.trust.ca.IssuedCertificate;
import xcm.trust.enrol.EnrolmentTokens;
import xcm.trust.enrol.FileTokenStore;
import xcm.trust.enrol.TokenRejectedException;

/**
 * Decides who joins. An agent asks with a certificate request: with a valid one-time token for its
 * name it is enrolled at once; otherwise it waits until an operator approves the fingerprint of its
 * key. The name, libvirt host UUID and agent URL it claimed are then bound to the certificate
 * issued. A name or UUID bound to one key is refused to every other key until the host is removed
 * (which revokes its certificate); the same key asking again gets its certificate again, and may
 * move its agent to a new URL when it asks with that certificate.
 *
 * <p>The enrolled hosts are kept in an {@link EnrolledStore}: the journal, where every coordinator
 * reads them and only the active one changes them ({@link #refresh} follows its changes). A change
 * asked of a standby is refused with {@link xcm.mbeans.StandbyException}, naming the active one.
 *
 * <p>What a stranger can make it keep is bounded ({@link WaitingRoom}).
 *
 * <p>Thread-safe. Changes are made one at a time, each checked and saved under one lock, as a
 * transaction would be; lookups (every TLS handshake makes one) read an immutable index and never
 * wait for a change being saved.
 */
public final class EnrolmentDesk {
  private final ClusterAuthority authority;
  private final EnrolmentTokens tokens;
  private final EnrolledStore store;
  private final LongSupplier mandate;
  private final Clock clock;
  private final WaitingRoom waiting;
  private final Object changing = new Object();
  private volatile EnrolledIndex index = EnrolledIndex.EMPTY;
  private volatile Revocations revocations;

  private final List<Consumer<Enrolled>> onEnrolled = new CopyOnWriteArrayList<>();

  /**
   * @param mandate the epoch this coordinator acts under; throws {@link
   *     xcm.mbeans.StandbyException} on a standby, whose desk changes nothing
   */
  public EnrolmentDesk(
      ClusterAuthority authority,
      EnrolmentTokens tokens,
      EnrolledStore store,
      LongSupplier mandate,
      Clock clock) {
    this.authority = authority;
    this.tokens = tokens;
    this.store = store;
    this.mandate = mandate;
    this.clock = clock;
    this.waiting = new WaitingRoom(clock);
    this.revocations = authority.revocations();
    refresh();
  }

  /**
   * A desk of its own, whose state is in {@code stateDir}: the cluster's authority in {@code ca/}
   * (made at the first start), its tokens beside it, the enrolled hosts in {@code enrolled.json}. A
   * coordinator started on that directory brings them into its journal.
   *
   * @throws IOException naming the file that cannot be read or made, or whose mode lets others read
   *     it
   */
  public static EnrolmentDesk open(Path stateDir, Clock clock) throws IOException {
    ClusterAuthority authority = authority(stateDir, clock);
    return new EnrolmentDesk(
        authority,
        new EnrolmentTokens(new FileTokenStore(stateDir.resolve("ca")), clock, new SecureRandom()),
        new EnrolledHosts(stateDir).store(authority),
        () -> 0,
        clock);
  }

  /** The cluster authority kept in {@code stateDir/ca}, made there at the first start. */
  public static ClusterAuthority authority(Path stateDir, Clock clock) throws IOException {
    return ClusterAuthority.builder()
        .directory(stateDir.resolve("ca"))
        .clock(clock)
        .random(new SecureRandom())
        .open();
  }

  /** Called with each host enrolled or moved to a new URL, after it was saved or read. */
  public void onEnrolled(Consumer<Enrolled> listener) {
    onEnrolled.add(listener);
  }

  /**
   * Reads what the store changed since this desk last looked (what the active coordinator changed,
   * seen from a standby) and tells the listeners of each host enrolled or moved.
   *
   * @throws xcm.coordinator.journal.JournalException when the journal cannot be read
   */
  public void refresh() {
    List<Enrolled> changed;
    synchronized (changing) {
      EnrolledIndex before = index;
      EnrolledStore.Changes changes = store.since(before.version());
      if (changes.version() == before.version()) {
        return;
      }
      install(before.with(changes));
      changed =
          changes.enrolled().stream()
              .filter(e -> !e.equals(before.byHost().get(e.host())))
              .toList();
    }
    changed.forEach(e -> onEnrolled.forEach(listener -> listener.accept(e)));
  }

  /** An agent asking to join, or asking again for the certificate it was issued. */
  public EnrolmentAnswer submit(EnrolmentRequest request) {
    String host;
    String url;
    String uuid;
    HostKey key;
    try {
      host = EnrolmentFields.host(request.host());
      url = EnrolmentFields.url(request.url());
      uuid = EnrolmentFields.libvirtUuid(request.libvirtUuid());
      key =
          new HostKey(
              CertificateRequest.parse(
                  EnrolmentFields.certificateRequest(request.certificateRequest())));
      request.token().ifPresent(EnrolmentFields::token);
    } catch (IllegalArgumentException e) {
      return new Refused(Refusal.INVALID, e.getMessage());
    } catch (InvalidRequestException e) {
      return new Refused(Refusal.INVALID, "the certificate request is unusable: " + e.getMessage());
    }
    if (!key.request().name().equals(host)) {
      return new Refused(
          Refusal.INVALID,
          "the certificate request names " + key.request().name() + ", not host " + host);
    }
    mandate.getAsLong();
    Enrolled again;
    synchronized (changing) {
      Optional<Refused> refused = conflict(host, uuid, key.fingerprint());
      if (refused.isPresent()) {
        return refused.get();
      }
      Enrolled known = index.byHost().get(host);
      if (known == null) {
        if (request.token().isEmpty()) {
          return waiting.admit(host, url, uuid, key, request.from());
        }
        try {
          tokens.redeem(request.token().get(), host);
        } catch (TokenRejectedException e) {
          return new Refused(Refusal.BAD_TOKEN, e.getMessage());
        } catch (IOException e) {
          throw new UncheckedIOException("cannot record the use of an enrolment token", e);
        }
        again = enrol(host, url, uuid, key);
      } else if (!known.url().equals(url)) {
        if (!request.presentedBy().equals(Optional.of(host))) {
          return new Refused(
              Refusal.UNPROVEN_MOVE,
              "host "
                  + host
                  + " is enrolled at "
                  + known.url()
                  + "; its agent moves to another URL only when it asks with its certificate");
        }
        again = save(known.at(url));
      } else {
        return new Issued(known.certificate(), authorityPem());
      }
    }
    onEnrolled.forEach(listener -> listener.accept(again));
    return new Issued(again.certificate(), authorityPem());
  }

  /** The authority's certificate, PEM: what every member trusts. */
  public String authorityPem() {
    return Pem.certificates(List.of(authority.certificate()));
  }

  /**
   * An operator approves a waiting host.
   *
   * @param fingerprint the key's fingerprint or its start; empty when only one request waits
   * @return the full fingerprint approved
   * @throws IllegalArgumentException naming the host and why: none waits, or the fingerprint
   *     matches none or several of its requests
   */
  public String approve(String host, String fingerprint) {
    mandate.getAsLong();
    Enrolled approved;
    synchronized (changing) {
      WaitingRoom.Waiter chosen = waiting.choose(host, fingerprint);
      Optional<Refused> refused = conflict(host, chosen.uuid(), chosen.key().fingerprint());
      if (refused.isPresent()) {
        throw new IllegalStateException(refused.get().message());
      }
      approved = enrol(host, chosen.url(), chosen.uuid(), chosen.key());
      waiting.drop(host);
    }
    onEnrolled.forEach(listener -> listener.accept(approved));
    return approved.fingerprint();
  }

  /**
   * Drops every waiting request of {@code host}.
   *
   * @throws IllegalArgumentException when none waits
   */
  public void reject(String host) {
    synchronized (changing) {
      if (!waiting.drop(host)) {
        throw new IllegalArgumentException("no enrolment request of host " + host + " waits");
      }
    }
  }

  /**
   * A one-time token for {@code host}.
   *
   * @throws IllegalArgumentException when the name is not a host name or the validity is outside 1
   *     minute to 7 days
   */
  public String issueToken(String host, Duration validity) {
    EnrolmentFields.host(host);
    if (validity.compareTo(Duration.ofMinutes(1)) < 0
        || validity.compareTo(Duration.ofDays(7)) > 0) {
      throw new IllegalArgumentException(
          "an enrolment token is valid for 1 minute to 7 days, not " + validity);
    }
    mandate.getAsLong();
    try {
      return tokens.issue(host, validity).secret();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot save an enrolment token for host " + host, e);
    }
  }

  /**
   * Unbinds a host and revokes its certificate, in one step: it must enrol again to come back.
   *
   * @return whether it was enrolled
   */
  public boolean revoke(String host) {
    mandate.getAsLong();
    synchronized (changing) {
      Enrolled removed = index.byHost().get(host);
      if (removed == null) {
        return false;
      }
      long version = store.remove(removed);
      install(index.without(removed, version));
      return true;
    }
  }

  public Optional<Enrolled> enrolled(String host) {
    return Optional.ofNullable(index.byHost().get(host));
  }

  /** The host enrolled with its agent at {@code url} (normalised as enrolment does). */
  public Optional<Enrolled> enrolledAt(String url) {
    String normalised;
    try {
      normalised = EnrolmentFields.url(url);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    return Optional.ofNullable(index.byUrl().get(normalised));
  }

  /**
   * The host enrolled with its agent at {@code host} and {@code port}, as a TLS handshake sees the
   * address it connects to (an IPv6 address without brackets).
   */
  public Optional<Enrolled> enrolledAt(String host, int port) {
    return Optional.ofNullable(index.byAddress().get(EnrolledIndex.address(host, port)));
  }

  /** The certificates revoked: what every TLS handshake with a member checks. */
  public Revocations revocations() {
    return revocations;
  }

  /** The cluster's certificate authority, whose key signs every member's certificate. */
  public ClusterAuthority authority() {
    return authority;
  }

  public List<Enrolled> enrolled() {
    return List.copyOf(index.byHost().values());
  }

  public List<PendingEnrolment> waiting() {
    synchronized (changing) {
      return waiting.view();
    }
  }

  public List<EnrolledHost> enrolledView() {
    return index.byHost().values().stream()
        .map(
            e ->
                new EnrolledHost(
                    e.host(),
                    e.libvirtUuid(),
                    e.url(),
                    e.fingerprint(),
                    e.serial(),
                    e.enrolledAt().toEpochMilli(),
                    e.notAfter().toEpochMilli()))
        .toList();
  }

  private Optional<Refused> conflict(String host, String uuid, String fingerprint) {
    Enrolled byName = index.byHost().get(host);
    if (byName != null && !byName.fingerprint().equals(fingerprint)) {
      return Optional.of(
          new Refused(
              Refusal.NAME_TAKEN,
              "host "
                  + host
                  + " is enrolled with another key ("
                  + byName.fingerprint()
                  + "); remove the host first to enrol it again"));
    }
    for (Enrolled e : index.byHost().values()) {
      if (e.libvirtUuid().equals(uuid) && !e.host().equals(host)) {
        return Optional.of(
            new Refused(
                Refusal.UUID_TAKEN,
                "libvirt host UUID " + uuid + " is enrolled as host " + e.host()));
      }
    }
    return Optional.empty();
  }

  private Enrolled enrol(String host, String url, String uuid, HostKey key) {
    IssuedCertificate issued =
        authority.issue(key.request(), Subject.agent(host, UUID.fromString(uuid)));
    return save(
        new Enrolled(
            host,
            uuid,
            url,
            key.fingerprint(),
            issued.certificate().getSerialNumber().toString(16),
            issued.pem(),
            // What the journal keeps of it, so that every coordinator reads the same value.
            clock.instant().truncatedTo(ChronoUnit.MILLIS),
            issued.certificate().getNotAfter().toInstant()));
  }

  private Enrolled save(Enrolled e) {
    long version = store.put(e);
    install(index.with(e, version));
    return e;
  }

  /** Called holding {@link #changing}. */
  private void install(EnrolledIndex next) {
    revocations = next.revocations(authority.revocations().serials());
    index = next;
  }
}
