package xcm.bench.fuzz;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import xcm.bench.Await;
import xcm.bench.BenchMain;
import xcm.bench.BenchProcesses;
import xcm.bench.CoordinatorJolokia;
import xcm.bench.TestNodes;
import xcm.client.JolokiaException;
import xcm.testkit.launch.Secrets;
import xcm.testkit.launch.XcmCommands.Program;
import xcm.trust.Pem;

/**
 * {@code xcm bench fuzz [N]}: a coordinator and two agents, each its own process, and {@code N}
 * seeded hostile inputs to the coordinator's webhook, Jolokia and enrolment door and to the agents'
 * placement rules ({@link Fuzzer}); prints the inputs sent per category, how each was refused, the
 * failures, and whether the cluster stayed as it was.
 */
@Command(
    name = "fuzz",
    mixinStandardHelpOptions = true,
    description =
        "Hostile and wrong input to the coordinator's webhook, Jolokia operations, placement"
            + " rules and enrolment door, and to the agents' placement rules: every input must be"
            + " refused with a reason (or wait for an operator, when it is a well-formed enrolment"
            + " request without a token), change nothing, enrol nothing and crash nothing.")
public final class FuzzBench implements Callable<Integer> {
  static final int GOAL = 10_000;

  /** The host name the fuzz cluster's one valid enrolment token is for. */
  static final String TOKEN_HOLDER = "fuzz-token-holder";

  /**
   * The placement rules the fuzz cluster's VMs are given before any input, in this order (each set
   * must hold with those before it): {@link RulesInputs} makes rules that contradict them. Hosts
   * carry the label {@code rack=<host name>}.
   */
  static final Map<String, String> RULES = baselineRules();

  private static Map<String, String> baselineRules() {
    Map<String, String> rules = new LinkedHashMap<>();
    rules.put("fza0001", "apart db");
    rules.put("fzb0001", "apart db");
    rules.put("fza0002", "together app; apart x");
    rules.put("fza0003", "together app");
    rules.put("fza0004", "on rack=fuzza; restart high");
    rules.put("fza0005", "avoid rack=fuzza");
    rules.put("fzb0002", "pinned; apart web soft");
    return java.util.Collections.unmodifiableMap(rules);
  }

  @ParentCommand BenchMain bench;

  @Parameters(
      index = "0",
      arity = "0..1",
      defaultValue = "10000",
      description = "Inputs to send (${DEFAULT-VALUE})")
  int count;

  @Option(
      names = "--seed",
      defaultValue = "8",
      description = "Seed of the inputs (${DEFAULT-VALUE})")
  long seed;

  @Option(
      names = "--threads",
      defaultValue = "4",
      description = "Inputs sent at once (${DEFAULT-VALUE})")
  int threads;

  @Option(
      names = "--examples",
      description = "Also print what the first refused input of each category was told")
  boolean examples;

  @Override
  public Integer call() throws Exception {
    try (BenchProcesses processes = new BenchProcesses(bench.root(), "fuzz")) {
      Fuzzer.Target target = startCluster(processes, true);
      System.out.printf(
          "%nXCM fuzz bench: %,d hostile inputs (seed %d, %d at once) to the webhook, Jolokia and"
              + " enrolment door of a coordinator with two agents (%d domains, %d with placement"
              + " rules), each its own process, and to the agents' placement rules%n%n",
          count, seed, threads, target.domains().size(), RULES.size());
      Report report = new Fuzzer(target).run(count, seed, threads);
      if (examples) {
        report.printExamples(System.out);
      }
      report.print(System.out, Math.max(count, GOAL));
      return report.failed() == 0 ? 0 : 1;
    }
  }

  /**
   * Starts the coordinator (webhook and enrolment door on, small body limits so that oversized
   * inputs stay cheap), issues one enrolment token for {@link #TOKEN_HOLDER}, and starts two agents
   * whose hosts are full: no migrate, drain or balance of them can be carried out, so every input
   * must be refused. The VMs are given the rules of {@link #RULES}.
   *
   * @param viaScript start them as {@code ./xcm coordinator|agent}, else from the jars just built
   *     ({@link BenchProcesses#xcm})
   */
  static Fuzzer.Target startCluster(BenchProcesses processes, boolean viaScript)
      throws IOException, InterruptedException {
    byte[] random = new byte[24];
    new SecureRandom().nextBytes(random);
    String token = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    Path tokenFile = Secrets.write(processes.dir().resolve("webhook.token"), token);
    Files.setPosixFilePermissions(tokenFile, PosixFilePermissions.fromString("rw-------"));
    Process coordinator =
        launch(
            processes,
            viaScript,
            Program.COORDINATOR,
            "coordinator",
            processes.coordinatorOptions(
                0,
                "1s",
                processes.dir().resolve("state"),
                "--webhook-port",
                "0",
                "--webhook-token-file",
                tokenFile.toString(),
                "-D",
                "xcm.coordinator.webhook.max-body=64k",
                "-D",
                "xcm.coordinator.jolokia.max-body=64k",
                "-D",
                "xcm.coordinator.nightly-balance.cron="));
    String jolokia = processes.endpoint("coordinator", coordinator, "Jolokia");
    String webhook = processes.endpoint("coordinator", coordinator, "webhook");
    String enrol = processes.endpoint("coordinator", coordinator, "enrol");
    BenchProcesses.Joining joining =
        processes.joining("coordinator", coordinator, processes.dir().resolve("state"));
    X509Certificate authority;
    try {
      authority =
          Pem.readCertificates(
                  Files.readString(
                      processes.dir().resolve("state").resolve("ca").resolve("ca.crt")))
              .get(0);
    } catch (CertificateException e) {
      throw new IOException("the coordinator's authority certificate is unreadable", e);
    }
    // Memory in GiB: each domain takes 1 GiB and the coordinator keeps 1 GiB per host in reserve,
    // so neither host can take another domain.
    Map<String, String> hosts = new LinkedHashMap<>();
    List<String> domains = new ArrayList<>();
    int[][] layout = {{6, 7}, {2, 3}};
    for (int h = 0; h < layout.length; h++) {
      String host = "fuzz" + (char) ('a' + h);
      String prefix = "fz" + (char) ('a' + h);
      Path node =
          TestNodes.write(
              processes.dir().resolve(host + ".xml"), layout[h][0], prefix, h, layout[h][1]);
      for (int d = 1; d <= layout[h][0]; d++) {
        domains.add(String.format("%s%04d", prefix, d));
      }
      Process agent =
          launch(
              processes,
              viaScript,
              Program.AGENT,
              host,
              processes.agentOptions(
                  0,
                  host,
                  joining,
                  "--name",
                  host,
                  "--libvirt-uri",
                  "test://" + node,
                  "--sample-interval",
                  "1s",
                  "--label",
                  "rack=" + host));
      hosts.put(host, processes.endpoint(host, agent, "Jolokia"));
    }
    CoordinatorJolokia cluster = new CoordinatorJolokia(BenchProcesses.jolokia().at(jolokia));
    Await.until(
        "the coordinator collected both agents",
        Duration.ofSeconds(60),
        () -> cluster.activeHostCount() == hosts.size() && cluster.domainCount() == domains.size());
    try {
      for (Map.Entry<String, String> rules : RULES.entrySet()) {
        cluster.setRules(rules.getKey(), rules.getValue());
      }
    } catch (JolokiaException e) {
      throw new IOException(
          "the coordinator refused the fuzz cluster's rules: " + e.getMessage(), e);
    }
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    // A valid token for a name no input enrols under: inputs present it under other names.
    String enrolmentToken;
    try {
      enrolmentToken = cluster.issueToken(TOKEN_HOLDER, 60);
    } catch (JolokiaException e) {
      throw new IOException("the coordinator issued no enrolment token: " + e.getMessage(), e);
    }
    List<Process> all = processes.all();
    return new Fuzzer.Target(
        jolokia,
        "xcm",
        BenchProcesses.PASSWORD,
        webhook,
        token,
        hosts,
        domains,
        closedPort,
        enrol,
        authority,
        TOKEN_HOLDER,
        enrolmentToken,
        () -> all.stream().allMatch(Process::isAlive));
  }

  private static Process launch(
      BenchProcesses processes, boolean viaScript, Program program, String name, List<String> args)
      throws IOException {
    return viaScript ? processes.script(name, program, args) : processes.xcm(name, program, args);
  }
}
