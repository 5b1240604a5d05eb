package xcm.agent.enrol;

import java.io.IOException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import xcm.agent.enrol.CoordinatorAnswer.Enrolled;
import xcm.agent.enrol.CoordinatorAnswer.Refused;
import xcm.agent.enrol.CoordinatorAnswer.Waiting;
import xcm.serve.LogText;
import xcm.trust.Fingerprint;
import xcm.trust.HostCredentials;
import xcm.trust.Subject;
import xcm.trust.key.HostKey;

/**
 * An agent getting its cluster certificate: it asks the coordinator's enrolment desk ({@code POST
 * /enrol}) with a certificate request for the key in its key directory, and keeps asking until it
 * is enrolled. While an operator has not approved the host, it asks again every {@code enrol.poll};
 * while no coordinator answers, or one refuses the host or sends a certificate the host cannot use,
 * it backs off from {@code retry} (1 s) doubling to 1 min. Each new reason is logged once. The
 * token, when configured, goes with every request until the host is enrolled: the desk redeems it
 * once and answers the same request again with the same certificate.
 *
 * <p>With several enrolment URLs (coordinators sharing a journal, one active, the others standbys)
 * each attempt is a pass over the doors ({@link Doors}): a standby or a door that does not answer
 * is passed at once for the next, the door that last answered is asked first, and only a pass in
 * which no door answered backs off.
 *
 * <pre>{@code
 * Enrolment enrolment =
 *     Enrolment.start(config, "hv01", "https://hv01:8778/jolokia/", hypervisor.hostUuid(),
 *         credentials -> serveWithTls(credentials));
 * ...
 * enrolment.close();
 * }</pre>
 *
 * <p>A key directory that already holds a certificate the authority issued for this host, valid
 * now, is used as it is: the coordinator is not asked. Moving an enrolled agent to another URL
 * (which the desk allows to a host asking with its certificate) and renewing a certificate before
 * it ends are later changes.
 *
 * <p>Thread-safe; asks on its own daemon thread.
 */
public final class Enrolment implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Enrolment.class);
  private static final Duration MAX_BACKOFF = Duration.ofMinutes(1);

  private final EnrolmentConfig config;
  private final String host;
  private final HostKey key;
  private final CertificateCheck check;
  private final Doors doors;
  private final Consumer<HostCredentials> onCertificate;
  private final Clock clock;
  private final ScheduledExecutorService executor;
  private volatile HostCredentials credentials;
  private volatile String problem;

  // Only the enrolment thread reads or writes these.
  private EnrolmentClient client;
  private String claim;
  private String lastReport;
  private Duration backoff;

  private Enrolment(
      EnrolmentConfig config,
      String host,
      HostKey key,
      CertificateCheck check,
      Consumer<HostCredentials> onCertificate,
      Clock clock) {
    this.config = config;
    this.host = host;
    this.key = key;
    this.check = check;
    this.doors = new Doors(host, config.urls());
    this.onCertificate = onCertificate;
    this.clock = clock;
    this.backoff = config.retry();
    this.executor =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "xcm-enrol-" + host);
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Opens the host's key directory (making the key the first time) and enrols: at once when the
   * directory holds a certificate this host may use, calling {@code onCertificate} before this
   * returns; otherwise in the background, calling {@code onCertificate} on the enrolment thread
   * once the certificate is installed.
   *
   * @param host this host's name in the cluster
   * @param agentUrl the https URL the coordinator is to reach this agent at
   * @param libvirtUuid the host's libvirt UUID ({@code Hypervisor#hostUuid()})
   * @param onCertificate given the host's credentials once: an exception it throws on the caller's
   *     thread reaches the caller, one on the enrolment thread is logged (the host stays enrolled)
   * @throws IOException naming the key directory when it cannot be opened or made, or holds a key
   *     others may read ({@code TrustFileException})
   * @throws IllegalArgumentException when the host name is not a valid name
   */
  public static Enrolment start(
      EnrolmentConfig config,
      String host,
      String agentUrl,
      UUID libvirtUuid,
      Consumer<HostCredentials> onCertificate)
      throws IOException {
    return start(config, host, agentUrl, libvirtUuid, onCertificate, Clock.systemUTC());
  }

  /** As {@link #start}, checking certificates by {@code clock}. */
  static Enrolment start(
      EnrolmentConfig config,
      String host,
      String agentUrl,
      UUID libvirtUuid,
      Consumer<HostCredentials> onCertificate,
      Clock clock)
      throws IOException {
    Objects.requireNonNull(config, "config");
    Subject.requireValidName(host, "host name");
    Objects.requireNonNull(agentUrl, "agentUrl");
    Objects.requireNonNull(libvirtUuid, "libvirtUuid");
    Objects.requireNonNull(onCertificate, "onCertificate");
    HostKey key = HostKey.open(config.keyDir());
    CertificateCheck check =
        new CertificateCheck(config.authority(), config.caFile(), host, libvirtUuid);
    Enrolment enrolment = new Enrolment(config, host, key, check, onCertificate, clock);
    Optional<HostCredentials> held = key.credentials();
    if (held.isPresent()) {
      Optional<String> unusable = check.unusable(held.get(), clock.instant());
      if (unusable.isEmpty()) {
        enrolment.credentials = held.get();
        log.info(
            "{}: holds its cluster certificate in {} ({})",
            host,
            key.directory(),
            describe(held.get().certificate()));
        onCertificate.accept(held.get());
        // Still asks, presenting it: an agent restarted at another URL (a new port, a new
        // address) is reached there once the coordinator has it.
        enrolment.executor.execute(() -> enrolment.begin(agentUrl, libvirtUuid, held));
        return enrolment;
      }
      log.warn(
          "{}: asks the coordinator for a new certificate: the one in {} is not usable: {}",
          host,
          key.directory(),
          LogText.escape(unusable.get()));
    }
    Optional<HostCredentials> present =
        held.filter(credentials -> check.presentable(credentials, clock.instant()));
    enrolment.executor.execute(() -> enrolment.begin(agentUrl, libvirtUuid, present));
    return enrolment;
  }

  /** True once the host holds a certificate it may use. */
  public boolean enrolled() {
    return credentials != null;
  }

  /** The host's key and certificate, once it is enrolled. */
  public Optional<HostCredentials> credentials() {
    return Optional.ofNullable(credentials);
  }

  /**
   * Why the host is not enrolled yet, as last logged (waiting for an operator, the coordinator's
   * refusal, a connection failure); empty once enrolled or before the first answer.
   */
  public Optional<String> problem() {
    return credentials != null ? Optional.empty() : Optional.ofNullable(problem);
  }

  /** The fingerprint of the host's key, which an operator compares before approving it. */
  public Fingerprint keyFingerprint() {
    return key.keyFingerprint();
  }

  private void begin(String agentUrl, UUID libvirtUuid, Optional<HostCredentials> present) {
    try {
      // One request for the life of this enrolment: the desk recognises a host asking again by it.
      claim =
          EnrolmentClient.claim(
              host,
              agentUrl,
              libvirtUuid,
              key.request(host, Optional.of(libvirtUuid)).pem(),
              config.token());
      client = new EnrolmentClient(config, present);
    } catch (RuntimeException e) {
      // Nothing to retry: the configuration cannot make a request (an unusable authority, say).
      problem = "cannot prepare the enrolment request: " + e.getMessage();
      log.error("{}: cannot enrol: {}", host, LogText.escape(problem), e);
      return;
    }
    attempt();
  }

  private void attempt() {
    Duration next;
    String report;
    boolean waiting = false;
    try {
      Doors.Pass pass = doors.ask(client, claim);
      if (pass instanceof Doors.NoneAnswered none) {
        report = none.summary();
      } else {
        CoordinatorAnswer answer = ((Doors.Answered) pass).answer();
        if (answer instanceof Enrolled enrolled) {
          install(enrolled);
          return;
        }
        if (answer instanceof Waiting w) {
          report = waiting(w);
          waiting = true;
        } else {
          Refused refused = (Refused) answer;
          report = "the coordinator refused (" + refused.reason() + "): " + refused.message();
        }
      }
    } catch (InterruptedException e) {
      // Closed while asking.
      Thread.currentThread().interrupt();
      return;
    } catch (IOException e) {
      // From a door's answer that is no use (an unreadable fingerprint, a key directory that
      // cannot keep the certificate): the door answered, so the pass is over.
      report = e.getMessage();
    } catch (CertificateException e) {
      report = "the certificate the coordinator sent is not installed: " + e.getMessage();
    } catch (RuntimeException e) {
      // A bug or a broken key directory; keep asking rather than let the thread end silently.
      report = "unexpected failure: " + e;
      log.error("{}: enrolment failed unexpectedly", host, e);
    }
    if (waiting) {
      next = config.poll();
      backoff = config.retry();
    } else {
      next = backoff;
      backoff =
          backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0
              ? MAX_BACKOFF
              : backoff.multipliedBy(2);
    }
    problem = report;
    if (!report.equals(lastReport)) {
      lastReport = report;
      if (waiting) {
        log.warn("{}: {}", host, LogText.escape(report));
      } else {
        log.warn("{}: cannot enrol yet, retrying with back-off: {}", host, LogText.escape(report));
      }
    }
    try {
      executor.schedule(this::attempt, next.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      // Closed meanwhile: nothing more to ask.
    }
  }

  /** What an operator is to do; a fingerprint other than this key's is a failure instead. */
  private String waiting(Waiting answer) throws IOException {
    Fingerprint own = key.keyFingerprint();
    Fingerprint reported;
    try {
      reported = Fingerprint.parse(answer.fingerprint());
    } catch (IllegalArgumentException e) {
      throw new IOException(
          "the coordinator reports an unreadable key fingerprint: " + e.getMessage(), e);
    }
    if (!reported.equals(own)) {
      throw new IOException(
          "the coordinator reports the key fingerprint "
              + reported
              + " for this host's request, but its key is "
              + own);
    }
    return "waiting for an operator to approve this host: ./xcm hosts approve "
        + host
        + " --fingerprint "
        + own;
  }

  private void install(Enrolled answer) throws CertificateException, IOException {
    List<X509Certificate> chain = check.chain(answer, key.publicKey(), clock.instant());
    HostCredentials held = credentials;
    if (held != null && held.certificate().equals(chain.get(0))) {
      problem = null;
      log.info("{}: the coordinator knows this host at its URL, with this certificate", host);
      return;
    }
    HostCredentials installed = key.install(chain);
    credentials = installed;
    problem = null;
    log.info("enrolled as {} ({})", host, describe(installed.certificate()));
    try {
      onCertificate.accept(installed);
    } catch (RuntimeException e) {
      log.error("{}: enrolled, but taking the certificate into use failed", host, e);
    }
  }

  private static String describe(X509Certificate certificate) {
    return "certificate serial "
        + certificate.getSerialNumber().toString(16)
        + ", valid until "
        + certificate.getNotAfter().toInstant();
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }

  @Override
  public String toString() {
    return "Enrolment[" + host + " at " + config.urls() + (enrolled() ? ", enrolled]" : "]");
  }
}
