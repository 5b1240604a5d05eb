package xcm.coordinator.enrol;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import xcm.coordinator.enrol.EnrolmentAnswer.Issued;
import xcm.coordinator.enrol.EnrolmentAnswer.Refused;
import xcm.mbeans.EnrolledHost;
import xcm.mbeans.PendingEnrolment;
import xcm.trust.CertificateRequest;
import xcm.trust.InvalidRequestException;
import xcm.trust.Pem;
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
 * <p>What a stranger can make it keep is bounded ({@link WaitingRoom}).
 *
 * <p>Thread-safe; no method calls out of the process while holding its lock.
 */
public final class EnrolmentDesk {
  private final ClusterAuthority authority;
  private final EnrolmentTokens tokens;
  private final EnrolledHosts store;
  private final Clock clock;
  private final Map<String, Enrolled> enrolled = new TreeMap<>();
  // Lookups the collector and every TLS handshake make: by URL, and by host and port.
  private final Map<String, Enrolled> byUrl = new HashMap<>();
  private final Map<String, Enrolled> byAddress = new HashMap<>();

  private final WaitingRoom waiting;

  private final List<Consumer<Enrolled>> onEnrolled = new CopyOnWriteArrayList<>();

  public EnrolmentDesk(
      ClusterAuthority authority, EnrolmentTokens tokens, EnrolledHosts store, Clock clock) {
    this.authority = authority;
    this.tokens = tokens;
    this.store = store;
    this.clock = clock;
    this.waiting = new WaitingRoom(clock);
    store.load().forEach(e -> enrolled.put(e.host(), e));
    reindex();
  }

  /**
   * The desk of a coordinator whose state is in {@code stateDir}: the cluster's authority in {@code
   * ca/} (made at the first start), its tokens beside it, the enrolled hosts in {@code
   * enrolled.json}.
   *
   * @throws IOException naming the file that cannot be read or made, or whose mode lets others read
   *     it
   */
  public static EnrolmentDesk open(Path stateDir, Clock clock) throws IOException {
    Path ca = stateDir.resolve("ca");
    SecureRandom random = new SecureRandom();
    return new EnrolmentDesk(
        ClusterAuthority.builder().directory(ca).clock(clock).random(random).open(),
        new EnrolmentTokens(new FileTokenStore(ca), clock, random),
        new EnrolledHosts(stateDir),
        clock);
  }

  /** Called with each host enrolled or moved to a new URL, after it was saved. */
  public void onEnrolled(Consumer<Enrolled> listener) {
    onEnrolled.add(listener);
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
    Enrolled again;
    synchronized (this) {
      Optional<Refused> refused = conflict(host, uuid, key.fingerprint());
      if (refused.isPresent()) {
        return refused.get();
      }
      Enrolled known = enrolled.get(host);
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
        again = known.at(url);
        save(host, again);
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
    Enrolled approved;
    synchronized (this) {
      WaitingRoom.Waiter chosen = waiting.choose(host, fingerprint);
      Optional<Refused> refused = conflict(host, chosen.uuid(), chosen.key().fingerprint());
      if (refused.isPresent()) {
        throw new IllegalStateException(refused.get().message());
      }
      waiting.drop(host);
      approved = enrol(host, chosen.url(), chosen.uuid(), chosen.key());
    }
    onEnrolled.forEach(listener -> listener.accept(approved));
    return approved.fingerprint();
  }

  /**
   * Drops every waiting request of {@code host}.
   *
   * @throws IllegalArgumentException when none waits
   */
  public synchronized void reject(String host) {
    if (!waiting.drop(host)) {
      throw new IllegalArgumentException("no enrolment request of host " + host + " waits");
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
    try {
      return tokens.issue(host, validity).secret();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot save an enrolment token for host " + host, e);
    }
  }

  /**
   * Unbinds a host and revokes its certificate: it must enrol again to come back.
   *
   * @return whether it was enrolled
   */
  public boolean revoke(String host) {
    Enrolled removed;
    synchronized (this) {
      removed = enrolled.get(host);
      if (removed == null) {
        return false;
      }
      Map<String, Enrolled> remaining = new TreeMap<>(enrolled);
      remaining.remove(host);
      store.save(remaining.values());
      enrolled.remove(host);
      reindex();
    }
    try {
      authority.revoke(new BigInteger(removed.serial(), 16));
    } catch (IOException e) {
      throw new UncheckedIOException(
          "host " + host + " is unbound, but its certificate's revocation was not saved", e);
    }
    return true;
  }

  public synchronized Optional<Enrolled> enrolled(String host) {
    return Optional.ofNullable(enrolled.get(host));
  }

  /** The host enrolled with its agent at {@code url} (normalised as enrolment does). */
  public synchronized Optional<Enrolled> enrolledAt(String url) {
    String normalised;
    try {
      normalised = EnrolmentFields.url(url);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    return Optional.ofNullable(byUrl.get(normalised));
  }

  /**
   * The host enrolled with its agent at {@code host} and {@code port}, as a TLS handshake sees the
   * address it connects to (an IPv6 address without brackets).
   */
  public synchronized Optional<Enrolled> enrolledAt(String host, int port) {
    return Optional.ofNullable(byAddress.get(address(host, port)));
  }

  private void reindex() {
    byUrl.clear();
    byAddress.clear();
    // By host name, the first wins where two were enrolled at one URL, as a scan would find it.
    for (Enrolled e : enrolled.values()) {
      byUrl.putIfAbsent(e.url(), e);
      URI url = URI.create(e.url());
      String h = url.getHost();
      if (h.startsWith("[") && h.endsWith("]")) {
        h = h.substring(1, h.length() - 1);
      }
      byAddress.putIfAbsent(address(h, url.getPort() < 0 ? 443 : url.getPort()), e);
    }
  }

  private static String address(String host, int port) {
    return host.toLowerCase(Locale.ROOT) + " " + port;
  }

  /** The cluster's certificate authority, whose key signs every member's certificate. */
  public ClusterAuthority authority() {
    return authority;
  }

  public synchronized List<Enrolled> enrolled() {
    return List.copyOf(enrolled.values());
  }

  public synchronized List<PendingEnrolment> waiting() {
    return waiting.view();
  }

  public synchronized List<EnrolledHost> enrolledView() {
    return enrolled.values().stream()
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
    Enrolled byName = enrolled.get(host);
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
    for (Enrolled e : enrolled.values()) {
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
    Enrolled e =
        new Enrolled(
            host,
            uuid,
            url,
            key.fingerprint(),
            issued.certificate().getSerialNumber().toString(16),
            issued.pem(),
            clock.instant(),
            issued.certificate().getNotAfter().toInstant());
    save(host, e);
    return e;
  }

  private void save(String host, Enrolled e) {
    Map<String, Enrolled> next = new TreeMap<>(enrolled);
    next.put(host, e);
    store.save(next.values());
    enrolled.put(host, e);
    reindex();
  }
}
