package xcm.bench.fleet;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import xcm.coordinator.enrol.Enrolled;
import xcm.coordinator.enrol.EnrolledHosts;
import xcm.trust.HostCredentials;
import xcm.trust.Pem;
import xcm.trust.Revocations;
import xcm.trust.Role;
import xcm.trust.tls.ClientAuth;
import xcm.trust.tls.ExpectedPeer;
import xcm.trust.tls.ServerTls;

/**
 * A simulated fleet: one {@link SimulatedAgent} for each host enrolled in a coordinator's state
 * directory, each served at the URL it is enrolled at, over TLS with the certificate it was issued,
 * set up as an enrolled agent sets up its Jolokia's TLS ({@code AgentTrust}: the cluster's
 * authority, client certificates wanted, coordinators and agents accepted).
 *
 * <pre>{@code
 * FleetSeed.seed(state, key, 1000, 8778);
 * try (Fleet fleet = Fleet.serve(state, key, 20, Duration.ofSeconds(5), 2)) {
 *   // start a coordinator on state
 * }
 * }</pre>
 *
 * <p>Thread-safe.
 */
final class Fleet implements AutoCloseable {
  private final List<SimulatedAgent> agents;
  private final FleetServer server;
  private final List<FleetServer.Endpoint> later;
  private final Thread opener;
  private volatile int listening;

  private Fleet(
      List<SimulatedAgent> agents,
      FleetServer server,
      List<FleetServer.Endpoint> later,
      int listening,
      int batch,
      Duration every) {
    this.agents = agents;
    this.server = server;
    this.later = later;
    this.listening = listening;
    this.opener = new Thread(() -> openLater(batch, every), "xcm-fleet-ramp");
    this.opener.setDaemon(true);
  }

  /**
   * Opens the endpoints not yet listening, {@code batch} every {@code every}: hosts whose agents
   * start one after the other rather than all at once.
   */
  private void openLater(int batch, Duration every) {
    try {
      for (int from = 0; from < later.size(); from += batch) {
        Thread.sleep(every.toMillis());
        List<FleetServer.Endpoint> next = later.subList(from, Math.min(later.size(), from + batch));
        server.open(next);
        listening += next.size();
        System.out.printf("fleet: %d hosts listening%n", listening);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      System.out.println("fleet: " + e.getMessage());
    }
  }

  /**
   * Serves every host enrolled in {@code stateDir} with {@code domains} domains each, sampled every
   * {@code sampleInterval}, on {@code threads} threads.
   *
   * @throws IOException when the state or the key cannot be read, or an address cannot be bound
   */
  static Fleet serve(Path stateDir, Path keyFile, int domains, Duration sampleInterval, int threads)
      throws IOException {
    return serve(stateDir, keyFile, domains, sampleInterval, threads, 0, 1, 0, Duration.ZERO);
  }

  /**
   * As {@link #serve(Path, Path, int, Duration, int)}, only the hosts whose number is {@code part}
   * modulo {@code parts} (a fleet in several processes, where one may not open the files all its
   * sockets need); when {@code batch} is positive, only {@code batch} of them listen at first and
   * {@code batch} more every {@code every}.
   */
  static Fleet serve(
      Path stateDir,
      Path keyFile,
      int domains,
      Duration sampleInterval,
      int threads,
      int part,
      int parts,
      int batch,
      Duration every)
      throws IOException {
    PrivateKey key = Pem.readPrivateKey(Files.readString(keyFile));
    X509Certificate authority;
    try {
      authority = Pem.readCertificates(Files.readString(stateDir.resolve("ca/ca.crt"))).get(0);
    } catch (CertificateException e) {
      throw new IOException("cannot read the cluster's authority in " + stateDir + ": " + e, e);
    }
    JolokiaReplies replies = new JolokiaReplies();
    List<SimulatedAgent> agents = new ArrayList<>();
    List<FleetServer.Endpoint> endpoints = new ArrayList<>();
    int index = 0;
    for (Enrolled host : new EnrolledHosts(stateDir).load()) {
      if (index++ % parts != part) {
        continue;
      }
      SimulatedAgent agent =
          new SimulatedAgent(
              new SimulatedHost(
                  host.host(), host.libvirtUuid(), index, domains, sampleInterval.toMillis()),
              replies);
      agents.add(agent);
      URI url = URI.create(host.url());
      endpoints.add(
          new FleetServer.Endpoint(
              new InetSocketAddress(url.getHost(), url.getPort()),
              tls(key, host, authority),
              (path, body) ->
                  path.equals(url.getPath())
                      ? agent.answer(body, System.currentTimeMillis())
                      : null));
    }
    int first = batch > 0 ? Math.min(batch, endpoints.size()) : endpoints.size();
    Fleet fleet =
        new Fleet(
            List.copyOf(agents),
            FleetServer.start(endpoints.subList(0, first), threads),
            List.copyOf(endpoints.subList(first, endpoints.size())),
            first,
            Math.max(1, batch),
            every);
    fleet.opener.start();
    return fleet;
  }

  /** As the agent's {@code AgentTrust} sets up its Jolokia's TLS once enrolled. */
  private static SSLContext tls(PrivateKey key, Enrolled host, X509Certificate authority)
      throws IOException {
    List<X509Certificate> chain;
    try {
      chain = Pem.readCertificates(host.certificate());
    } catch (CertificateException e) {
      throw new IOException("cannot read the certificate of " + host.host() + ": " + e, e);
    }
    return ServerTls.builder()
        .credentials(new HostCredentials(key, chain))
        .authority(authority)
        .revocations(Revocations::none)
        .clientAuth(ClientAuth.WANT)
        .expectClient(ExpectedPeer.role(Role.COORDINATOR, Role.AGENT))
        .build();
  }

  /** How many hosts it serves. */
  int size() {
    return agents.size();
  }

  /** Connections accepted so far, and closed on an error. */
  String connections() {
    return server.accepted() + " connections accepted, " + server.failed() + " ended by an error";
  }

  /** How many hosts listen now. */
  int listening() {
    return listening;
  }

  @Override
  public void close() {
    opener.interrupt();
    server.close();
  }
}
