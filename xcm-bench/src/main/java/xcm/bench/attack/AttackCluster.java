package xcm.bench.attack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import xcm.bench.AgentJolokia;
import xcm.bench.Await;
import xcm.bench.BenchProcesses;
import xcm.bench.CoordinatorJolokia;
import xcm.client.JolokiaClient;
import xcm.client.JolokiaException;
import xcm.testkit.launch.Secrets;
import xcm.testkit.launch.XcmCommands.Program;
import xcm.trust.HostCredentials;
import xcm.trust.Pem;
import xcm.trust.Revocations;
import xcm.trust.Role;
import xcm.trust.tls.ClientTls;
import xcm.trust.tls.ExpectedPeer;

/**
 * The cluster the attack is tried on, in certificate mode: a coordinator with no password for
 * agents, its enrolment door and its webhook; two agents on test nodes ({@code dmz01} with 8
 * domains, {@code dmz02} empty) that enrolled with one-time tokens the operator issued, and whose
 * Jolokia is thus HTTPS with their cluster certificates. What the bench itself reads goes through
 * the operator's password on the coordinator and the agents' {@code xcm} password over TLS that
 * trusts the cluster's authority, as a person with those passwords would.
 *
 * <p>Thread-safe once started.
 */
final class AttackCluster {
  static final List<String> HOSTS = List.of("dmz01", "dmz02");

  final BenchProcesses processes;
  final Process coordinatorProcess;
  final String jolokiaUrl;
  final String webhookUrl;
  final String webhookToken;
  final String metricsUrl;
  final String enrolUrl;
  final Path stateDir;
  final X509Certificate authority;
  final CoordinatorJolokia coordinator;

  /** Host name → its agent's Jolokia URL (https). */
  final Map<String, String> agentUrls;

  final Map<String, AgentJolokia> agents = new LinkedHashMap<>();

  private AttackCluster(
      BenchProcesses processes,
      Process coordinatorProcess,
      String jolokiaUrl,
      String webhookUrl,
      String webhookToken,
      String metricsUrl,
      String enrolUrl,
      Path stateDir,
      X509Certificate authority,
      Map<String, String> agentUrls) {
    this.processes = processes;
    this.coordinatorProcess = coordinatorProcess;
    this.jolokiaUrl = jolokiaUrl;
    this.webhookUrl = webhookUrl;
    this.webhookToken = webhookToken;
    this.metricsUrl = metricsUrl;
    this.enrolUrl = enrolUrl;
    this.stateDir = stateDir;
    this.authority = authority;
    this.agentUrls = Map.copyOf(agentUrls);
    this.coordinator = new CoordinatorJolokia(BenchProcesses.jolokia().at(jolokiaUrl));
    JolokiaClient overTls = BenchProcesses.agentJolokia(authority);
    agentUrls.forEach((host, url) -> agents.put(host, new AgentJolokia(overTls.at(url))));
  }

  /**
   * Starts the coordinator, issues a token for each host, starts the agents with them and waits
   * until the coordinator collects both.
   *
   * @param viaScript start the coordinator as {@code ./xcm coordinator}, else from the jars just
   *     built
   */
  static AttackCluster start(BenchProcesses processes, boolean viaScript)
      throws IOException, InterruptedException, CertificateException, JolokiaException {
    byte[] random = new byte[24];
    new SecureRandom().nextBytes(random);
    String token = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    Path tokenFile = Secrets.write(processes.dir().resolve("webhook.token"), token);
    Path state = processes.dir().resolve("state");
    Process coordinatorProcess =
        launch(
            processes,
            viaScript,
            "coordinator",
            processes.coordinatorOptions(
                0,
                "1s",
                state,
                "--webhook-port",
                "0",
                "--webhook-token-file",
                tokenFile.toString(),
                "-D",
                "xcm.coordinator.nightly-balance.cron=",
                "-D",
                "xcm.coordinator.cooldown=0s"));
    String jolokia = processes.endpoint("coordinator", coordinatorProcess, "Jolokia");
    String webhook = processes.endpoint("coordinator", coordinatorProcess, "webhook");
    String metrics = processes.endpoint("coordinator", coordinatorProcess, "metrics");
    String enrol = processes.endpoint("coordinator", coordinatorProcess, "enrol");
    Path authorityFile = state.resolve("ca").resolve("ca.crt");
    X509Certificate authority = Pem.readCertificates(Files.readString(authorityFile)).get(0);
    CoordinatorJolokia operator = new CoordinatorJolokia(BenchProcesses.jolokia().at(jolokia));
    Map<String, String> urls = new LinkedHashMap<>();
    BenchProcesses.Joining joining = new BenchProcesses.Joining(enrol, authorityFile, operator);
    for (String host : HOSTS) {
      // Agents with the test kit beside them, as the demo starts them: on libvirt's test driver
      // they hand domains over, which ./xcm agent alone cannot (the balance would fail).
      Process agent =
          processes.xcm(
              host,
              Program.AGENT,
              processes.agentOptions(
                  0,
                  host,
                  joining,
                  "--libvirt-uri",
                  "test://" + processes.root().resolve("nodes/" + host + ".xml"),
                  "--sample-interval",
                  "1s"));
      urls.put(host, processes.endpoint(host, agent, "Jolokia"));
    }
    Await.until(
        "the coordinator collected the enrolled agents " + HOSTS,
        Duration.ofSeconds(120),
        () -> operator.activeHostCount() == HOSTS.size() && operator.domainCount() == 8);
    return new AttackCluster(
        processes,
        coordinatorProcess,
        jolokia,
        webhook,
        token,
        metrics,
        enrol,
        state,
        authority,
        urls);
  }

  /** TLS that trusts only the cluster's authority and a server of {@code role}, presenting none. */
  SSLContext trusting(Role role) {
    return ClientTls.builder()
        .authority(authority)
        .revocations(Revocations::none)
        .expectServer(ExpectedPeer.role(role))
        .build();
  }

  /** The same, presenting {@code credentials} when the server asks for a certificate. */
  SSLContext presenting(HostCredentials credentials, Role role) {
    return ClientTls.builder()
        .credentials(credentials)
        .authority(authority)
        .revocations(Revocations::none)
        .expectServer(ExpectedPeer.role(role))
        .build();
  }

  /** The coordinator's H2 journal, which main's rejected webhook requests grew. */
  Path journal() {
    return stateDir.resolve("journal.mv.db");
  }

  /** True while the coordinator and both agents run. */
  boolean alive() {
    return processes.all().stream().allMatch(Process::isAlive);
  }

  private static Process launch(
      BenchProcesses processes, boolean viaScript, String name, List<String> args)
      throws IOException {
    return viaScript
        ? processes.script(name, Program.COORDINATOR, args)
        : processes.xcm(name, Program.COORDINATOR, args);
  }
}
