package xcm.testkit.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import xcm.client.Endpoint;
import xcm.client.JolokiaException;
import xcm.client.Request;
import xcm.coordinator.cli.CliException;
import xcm.coordinator.cli.Connection;
import xcm.coordinator.cli.Follow;
import xcm.coordinator.cli.Table;
import xcm.mbeans.Attributes;
import xcm.mbeans.ClusterHostMXBean;
import xcm.mbeans.ClusterMXBean;
import xcm.mbeans.DomainMXBean;
import xcm.mbeans.ObjectNames;

/**
 * The seed paper's experiment (its Fig. 2), replayed on a running cluster: dmz01 starts with 8
 * domains; dmz02 joins, a balance spreads them; dmz03 joins, another balance; one domain moves from
 * dmz03 to dmz02; dmz01, then dmz02, are drained; dmz03 ends with all 8. After every step it prints
 * the domains per host, read from the agents themselves, and checks that every domain runs on
 * exactly one host.
 *
 * <pre>
 * java -cp xcm-coordinator/target/xcm-coordinator.jar:xcm-testkit/target/xcm-testkit.jar \
 *     xcm.testkit.scenario.PaperScenario --join dmz02=URL --join dmz03=URL
 * </pre>
 */
@Command(
    name = "scenario",
    mixinStandardHelpOptions = true,
    description =
        "Replays the seed paper's experiment on a running demo cluster (./xcm demo --scenario paper).")
public final class PaperScenario implements Callable<Integer> {
  private static final String POLICY = "domain-count,target=strict";
  private static final String NAME = Attributes.name(DomainMXBean.class, DomainMXBean::getName);
  private static final String UUID = Attributes.name(DomainMXBean.class, DomainMXBean::getUuid);
  private static final String MEMORY =
      Attributes.name(DomainMXBean.class, DomainMXBean::getMemoryBytes);

  public static void main(String[] args) {
    System.exit(new CommandLine(new PaperScenario()).execute(args));
  }

  @Mixin Connection connection;

  @Option(
      names = "--join",
      paramLabel = "HOST=URL",
      required = true,
      description =
          "Agents that join during the scenario: they asked to enrol without a token and wait for"
              + " approval, e.g. dmz02=https://127.0.0.1:8782/jolokia/")
  Map<String, String> joining = new LinkedHashMap<>();

  @Option(
      names = "--agent-password-file",
      paramLabel = "FILE",
      description =
          "The agents' local Jolokia password (user xcm), to read them and make them sample afresh;"
              + " one for all agents")
  Path agentPasswordFile;

  @Option(
      names = "--agent-password-dir",
      paramLabel = "DIR",
      description = "Each agent's local Jolokia password in DIR/HOST.password, instead")
  Path agentPasswordDir;

  @Option(
      names = "--authority",
      paramLabel = "FILE",
      required = true,
      description = "The cluster's authority certificate (the coordinator's ca/ca.crt)")
  Path authority;

  @Spec CommandSpec spec;

  private Endpoint coordinator;
  private PrintWriter out;
  private final Map<String, String> agents = new TreeMap<>();
  private Map<String, String> domains;
  private Table timeline;

  @Override
  public Integer call() {
    out = spec.commandLine().getOut();
    return Connection.run(spec, this::run);
  }

  private int run() throws CliException, JolokiaException, InterruptedException {
    coordinator = connection.open();
    // The first host enrolled at start: the coordinator collects it at its next round.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!anyHostActive()) {
      if (System.nanoTime() > deadline) {
        throw new CliException("no host is ACTIVE in the coordinator's view after 30 s");
      }
      Thread.sleep(200);
    }
    for (JsonNode host :
        coordinator.send(
            Request.read(
                ObjectNames.cluster(),
                Attributes.name(ClusterMXBean.class, ClusterMXBean::getHosts)))) {
      agents.put(host.path("name").asText(), host.path("url").asText());
    }
    List<String> hosts = new ArrayList<>(agents.keySet());
    hosts.addAll(joining.keySet());
    String[] header = new String[hosts.size() + 3];
    header[0] = "STEP";
    for (int i = 0; i < hosts.size(); i++) {
      header[i + 1] = ">" + hosts.get(i);
    }
    header[hosts.size() + 1] = ">TOTAL";
    header[hosts.size() + 2] = ">MOVES";
    timeline = new Table(header);
    domains = placement();
    step("start", hosts, 0);

    List<String> names = new ArrayList<>(joining.keySet());
    String second = names.get(0);
    String third = names.get(1);
    join(second);
    step("add " + second, hosts, 0);
    step("balance (" + POLICY + ")", hosts, run(operation("balance", POLICY, false)));
    join(third);
    step("add " + third, hosts, 0);
    step("balance (" + POLICY + ")", hosts, run(operation("balance", POLICY, false)));
    String moved = smallestOn(third);
    awaitCoordinatorSees(moved, third, hosts);
    step(
        "migrate " + moved + " " + third + " -> " + second,
        hosts,
        run(operation("migrate", moved, second)));
    String first = hosts.get(0);
    step("drain " + first, hosts, run(operation("drain", first, false)));
    step("drain " + second, hosts, run(operation("drain", second, false)));

    out.println();
    out.print(timeline);
    Map<String, String> end = placement();
    long onThird = end.values().stream().filter(third::equals).count();
    out.printf(
        "%d domains, none lost or duplicated at any step; %s hosts %d of them%n",
        end.size(), third, onThird);
    out.flush();
    return onThird == end.size() ? 0 : 1;
  }

  /** An operator approves the host waiting to join; it is collected from the next round on. */
  private void join(String host) throws CliException, JolokiaException, InterruptedException {
    coordinator.send(Request.exec(ObjectNames.enrolment(), "approve", host, ""));
    agents.put(host, joining.get(host));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!hostActive(host)) {
      if (System.nanoTime() > deadline) {
        throw new CliException("host " + host + " was approved but did not join within 30 s");
      }
      Thread.sleep(200);
    }
  }

  private boolean anyHostActive() throws JolokiaException, InterruptedException {
    for (JsonNode h :
        coordinator.send(
            Request.read(
                ObjectNames.cluster(),
                Attributes.name(ClusterMXBean.class, ClusterMXBean::getHosts)))) {
      if (h.path("state").asText().equals("ACTIVE")) {
        return true;
      }
    }
    return false;
  }

  private boolean hostActive(String host) throws JolokiaException, InterruptedException {
    for (JsonNode h :
        coordinator.send(
            Request.read(
                ObjectNames.cluster(),
                Attributes.name(ClusterMXBean.class, ClusterMXBean::getHosts)))) {
      if (h.path("name").asText().equals(host) && h.path("state").asText().equals("ACTIVE")) {
        return true;
      }
    }
    return false;
  }

  /** Starts an operation of {@code xcm:type=Operations}; returns its id. */
  private String operation(String operation, Object... arguments)
      throws JolokiaException, InterruptedException {
    return coordinator.send(Request.exec(ObjectNames.operations(), operation, arguments)).asText();
  }

  /** Runs an operation to its end; returns its moves. */
  private int run(String id) throws CliException, JolokiaException, InterruptedException {
    if (Follow.until(coordinator, id, out, false) != 0) {
      throw new CliException("operation " + id + " did not succeed");
    }
    return coordinator.send(Request.read(ObjectNames.operation(id), Follow.DONE)).asInt();
  }

  private void step(String name, List<String> hosts, int moves)
      throws CliException, JolokiaException, InterruptedException {
    Map<String, String> now = placement();
    if (!now.keySet().equals(domains.keySet())) {
      throw new CliException(
          "after '"
              + name
              + "' the domains are "
              + now.keySet()
              + ", before they were "
              + domains.keySet());
    }
    Object[] row = new Object[hosts.size() + 3];
    row[0] = name;
    for (int i = 0; i < hosts.size(); i++) {
      String host = hosts.get(i);
      row[i + 1] =
          agents.containsKey(host) ? now.values().stream().filter(host::equals).count() : "-";
    }
    row[hosts.size() + 1] = now.size();
    row[hosts.size() + 2] = moves == 0 ? "" : moves;
    timeline.row(row);
    out.printf("%-40s %s%n", name, counts(now));
    out.flush();
  }

  /**
   * Where every running domain is (UUID → host), read from the agents after they sample afresh.
   *
   * @throws CliException when a domain runs on two hosts
   */
  private Map<String, String> placement()
      throws CliException, JolokiaException, InterruptedException {
    Map<String, String> where = new HashMap<>();
    for (Map.Entry<String, String> agent : agents.entrySet()) {
      JsonNode domains = domains(openAgent(agent.getKey()));
      for (JsonNode d : domains) {
        String previous = where.put(d.path(UUID).asText(), agent.getKey());
        if (previous != null) {
          throw new CliException(
              "domain "
                  + d.path(NAME).asText()
                  + " is defined on "
                  + previous
                  + " and "
                  + agent.getKey());
        }
      }
    }
    return where;
  }

  /**
   * Waits until the coordinator's own view, its last collection, has the domain on {@code host}
   * alone: a migrate is checked against that view, which can lag the agents by a round.
   */
  private void awaitCoordinatorSees(String domain, String host, List<String> hosts)
      throws CliException, JolokiaException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      List<String> seenOn = new ArrayList<>();
      for (String h : hosts) {
        for (JsonNode d :
            coordinator.send(
                Request.read(
                    ObjectNames.clusterHost(h),
                    Attributes.name(ClusterHostMXBean.class, ClusterHostMXBean::getDomains)))) {
          if (d.path("name").asText().equals(domain)) {
            seenOn.add(h);
          }
        }
      }
      if (seenOn.equals(List.of(host))) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new CliException(
            "the coordinator still sees " + domain + " on " + seenOn + ", not on " + host);
      }
      Thread.sleep(200);
    }
  }

  private Endpoint openAgent(String host) throws CliException {
    Path file =
        agentPasswordDir != null ? agentPasswordDir.resolve(host + ".password") : agentPasswordFile;
    if (file == null) {
      throw new CliException("give --agent-password-file or --agent-password-dir");
    }
    return Connection.agent(agents.get(host), "xcm", Connection.read(file), authority);
  }

  /** The agent's domains (name, UUID, memory) after it sampled afresh; none when it has none. */
  private static JsonNode domains(Endpoint agent) throws JolokiaException, InterruptedException {
    agent.send(Request.exec(ObjectNames.hostOperations(), "sampleNow"));
    // A pattern that matches no MBean: no domains.
    return agent
        .sendIfFound(Request.read(ObjectNames.allDomains(), List.of(NAME, UUID, MEMORY)))
        .orElse(JsonNodeFactory.instance.objectNode());
  }

  private String smallestOn(String host)
      throws CliException, JolokiaException, InterruptedException {
    List<JsonNode> list = new ArrayList<>();
    domains(openAgent(host)).forEach(list::add);
    return list.stream()
        .min(
            Comparator.comparingLong((JsonNode d) -> d.path(MEMORY).asLong())
                .thenComparing(d -> d.path(NAME).asText()))
        .map(d -> d.path(NAME).asText())
        .orElseThrow(() -> new CliException("no domain on " + host + " to migrate"));
  }

  private String counts(Map<String, String> placement) {
    Map<String, Long> counts = new TreeMap<>();
    agents.keySet().forEach(h -> counts.put(h, 0L));
    placement.values().forEach(h -> counts.merge(h, 1L, Long::sum));
    return counts.toString();
  }
}
