package xcm.testkit.scenario;

import com.fasterxml.jackson.databind.JsonNode;
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
import xcm.coordinator.cli.CliException;
import xcm.coordinator.cli.Connection;
import xcm.coordinator.cli.CoordinatorClient;
import xcm.coordinator.cli.Follow;
import xcm.coordinator.cli.Table;
import xcm.coordinator.collect.AgentCredentials;
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

  public static void main(String[] args) {
    System.exit(new CommandLine(new PaperScenario()).execute(args));
  }

  @Mixin Connection connection;

  @Option(
      names = "--join",
      paramLabel = "HOST=URL",
      required = true,
      description =
          "Agents that join during the scenario, e.g. dmz02=http://127.0.0.1:8782/jolokia/")
  Map<String, String> joining = new LinkedHashMap<>();

  @Option(
      names = "--agent-password-file",
      paramLabel = "FILE",
      description =
          "The agents' Jolokia password (user xcm), to read them and make them sample afresh"
              + " (default: the coordinator's)")
  Path agentPasswordFile;

  @Option(
      names = "--agent-master-file",
      paramLabel = "FILE",
      description =
          "The coordinator's master secret, when each agent has a password of its own derived"
              + " from it (xcm.coordinator.agent.password-derivation=url-hmac)")
  Path agentMasterFile;

  @Spec CommandSpec spec;

  private CoordinatorClient coordinator;
  private PrintWriter out;
  private final Map<String, String> agents = new TreeMap<>();
  private Map<String, String> domains;
  private Table timeline;

  @Override
  public Integer call() {
    out = spec.commandLine().getOut();
    try {
      coordinator = connection.open();
      for (JsonNode host : coordinator.read(ObjectNames.cluster()).path("Hosts")) {
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
      step(
          "balance (" + POLICY + ")",
          hosts,
          run(coordinator.exec(ObjectNames.operations(), "balance", POLICY, false).asText()));
      join(third);
      step("add " + third, hosts, 0);
      step(
          "balance (" + POLICY + ")",
          hosts,
          run(coordinator.exec(ObjectNames.operations(), "balance", POLICY, false).asText()));
      String moved = smallestOn(third);
      awaitCoordinatorSees(moved, third, hosts);
      step(
          "migrate " + moved + " " + third + " -> " + second,
          hosts,
          run(coordinator.exec(ObjectNames.operations(), "migrate", moved, second).asText()));
      String first = hosts.get(0);
      step(
          "drain " + first,
          hosts,
          run(coordinator.exec(ObjectNames.operations(), "drain", first, false).asText()));
      step(
          "drain " + second,
          hosts,
          run(coordinator.exec(ObjectNames.operations(), "drain", second, false).asText()));

      out.println();
      out.print(timeline);
      Map<String, String> end = placement();
      long onThird = end.values().stream().filter(third::equals).count();
      out.printf(
          "%d domains, none lost or duplicated at any step; %s hosts %d of them%n",
          end.size(), third, onThird);
      out.flush();
      return onThird == end.size() ? 0 : 1;
    } catch (CliException e) {
      out.flush();
      spec.commandLine().getErr().println("xcm scenario: " + e.getMessage());
      return 1;
    }
  }

  private void join(String host) throws CliException {
    coordinator.exec(ObjectNames.operations(), "addHost", joining.get(host));
    agents.put(host, joining.get(host));
  }

  /** Runs an operation to its end; returns its moves. */
  private int run(String id) throws CliException {
    if (Follow.until(coordinator, id, out, false) != 0) {
      throw new CliException("operation " + id + " did not succeed");
    }
    return coordinator.read(ObjectNames.operation(id)).path("MovesDone").asInt();
  }

  private void step(String name, List<String> hosts, int moves) throws CliException {
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
  private Map<String, String> placement() throws CliException {
    Map<String, String> where = new HashMap<>();
    for (Map.Entry<String, String> agent : agents.entrySet()) {
      CoordinatorClient client = openAgent(agent.getValue());
      client.exec(ObjectNames.hostOperations(), "sampleNow");
      JsonNode domains;
      try {
        domains = client.read(ObjectNames.allDomains());
      } catch (CliException.NotFound e) {
        continue;
      }
      for (JsonNode d : domains) {
        String previous = where.put(d.path("Uuid").asText(), agent.getKey());
        if (previous != null) {
          throw new CliException(
              "domain "
                  + d.path("Name").asText()
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
      throws CliException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      List<String> seenOn = new ArrayList<>();
      for (String h : hosts) {
        for (JsonNode d : coordinator.read(ObjectNames.clusterHost(h)).path("Domains")) {
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
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new CliException("interrupted while waiting for the coordinator's view");
      }
    }
  }

  private CoordinatorClient openAgent(String url) throws CliException {
    if (agentMasterFile == null) {
      return connection.openAgent(url, agentPasswordFile);
    }
    try {
      return new CoordinatorClient(
          url, "xcm", AgentCredentials.derive(Connection.read(agentMasterFile), url));
    } catch (IllegalArgumentException e) {
      throw new CliException(e.getMessage());
    }
  }

  private String smallestOn(String host) throws CliException {
    CoordinatorClient client = openAgent(agents.get(host));
    List<JsonNode> list = new ArrayList<>();
    client.read(ObjectNames.allDomains()).forEach(list::add);
    return list.stream()
        .min(
            Comparator.comparingLong((JsonNode d) -> d.path("MemoryBytes").asLong())
                .thenComparing(d -> d.path("Name").asText()))
        .map(d -> d.path("Name").asText())
        .orElseThrow(() -> new CliException("no domain on " + host + " to migrate"));
  }

  private String counts(Map<String, String> placement) {
    Map<String, Long> counts = new TreeMap<>();
    agents.keySet().forEach(h -> counts.put(h, 0L));
    placement.values().forEach(h -> counts.merge(h, 1L, Long::sum));
    return counts.toString();
  }
}
