package xcm.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import xcm.testkit.launch.XcmCommands.Program;

/**
 * {@code xcm bench drain}: a coordinator and agents on libvirt's test driver, each its own process;
 * the time of one migration on its own, then of draining a host of 20 domains, against the ideal
 * {@code ceil(20 / per-host limit) x one move}.
 */
@Command(
    name = "drain",
    mixinStandardHelpOptions = true,
    description =
        "Drain time of a host with many domains against ceil(domains / per-host limit) x one move.")
final class DrainBench implements Callable<Integer> {
  private static final String OPERATIONS = "xcm:type=Operations";

  @ParentCommand BenchMain bench;

  @Option(
      names = "--domains",
      defaultValue = "20",
      description = "Domains on the drained host (${DEFAULT-VALUE})")
  int domains;

  @Option(
      names = "--per-host",
      defaultValue = "2",
      description = "Migrations in flight per host (${DEFAULT-VALUE})")
  int perHost;

  @Option(
      names = "--singles",
      defaultValue = "7",
      description = "Single migrations timed first (${DEFAULT-VALUE})")
  int singles;

  private final JolokiaClient jolokia = new JolokiaClient();

  @Override
  public Integer call() throws Exception {
    try (BenchProcesses processes = new BenchProcesses(bench.root, "drain")) {
      String password = processes.password.toString();
      Process coordinator =
          processes.start(
              "coordinator",
              List.of(
                  "coordinator",
                  "--jolokia-port",
                  "0",
                  "--metrics-port",
                  "0",
                  "--collect-interval",
                  "1s",
                  "--state-dir",
                  processes.dir.resolve("state").toString(),
                  "--agent-password-file",
                  password,
                  "--jolokia-registration-password-file",
                  password,
                  "--jolokia-password-file",
                  password,
                  "-D",
                  "xcm.coordinator.migration.per-host=" + perHost,
                  "-D",
                  "xcm.coordinator.cooldown=0s"));
      String xcm = processes.endpoint("coordinator", coordinator, "Jolokia");
      List<String> hosts = List.of("source", "probe", "target1", "target2");
      for (int h = 0; h < hosts.size(); h++) {
        String host = hosts.get(h);
        // The source holds two more domains than it drains: their moves warm its JVM up.
        int count = host.equals("source") ? domains + 2 : host.equals("probe") ? singles : 0;
        Path node = AgentBench.writeNode(processes.dir.resolve(host + ".xml"), count, host, h, 64);
        // The test kit beside them: on the test driver the agents hand the domains over.
        Process agent =
            processes.xcm(
                host,
                Program.AGENT,
                List.of(
                    "--name",
                    host,
                    "--libvirt-uri",
                    "test://" + node,
                    "--jolokia-port",
                    "0",
                    "--metrics-port",
                    "0",
                    "--jolokia-password-file",
                    password,
                    "--jolokia-peer-password-file",
                    processes.peerPassword.toString(),
                    "--coordinator",
                    xcm,
                    "--coordinator-password-file",
                    password));
        processes.endpoint(host, agent, "Jolokia");
      }
      while (jolokia
              .read(xcm, "xcm:type=Cluster", "ActiveHostCount")
              .path("ActiveHostCount")
              .asInt()
          < hosts.size()) {
        Thread.sleep(100);
      }

      for (int i = 1; i <= 2; i++) {
        String warmUp = String.format("source%04d", domains + i);
        awaitSeconds(xcm, jolokia.exec(xcm, OPERATIONS, "migrate", warmUp, "target1").asText());
      }
      // One migration at a time: the probe host's domains, each on its own.
      double[] single = new double[singles];
      for (int i = 0; i < singles; i++) {
        String domain = String.format("probe%04d", i + 1);
        String id = jolokia.exec(xcm, OPERATIONS, "migrate", domain, "target2").asText();
        single[i] = awaitSeconds(xcm, id) * 1000;
      }
      // The first ones warm up both JVMs; the median of the rest is "one move".
      Percentiles oneMove = new Percentiles(java.util.Arrays.copyOfRange(single, 2, singles));

      String id = jolokia.exec(xcm, OPERATIONS, "drain", "source", false).asText();
      double drainSeconds = awaitSeconds(xcm, id);
      JsonNode drain = jolokia.read(xcm, "xcm:type=Operation,id=\"" + id + "\"");
      List<Long> moveMillis = new ArrayList<>();
      drain.path("Moves").forEach(m -> moveMillis.add(m.path("durationMillis").asLong()));
      double ideal = Math.ceil(domains / (double) perHost) * oneMove.at(50) / 1000;

      System.out.printf(
          "%nXCM drain bench: %d domains on one host, at most %d migrations in flight per"
              + " host, libvirt test driver (hand-over between agents)%n",
          domains, perHost);
      System.out.printf("one move on its own                     %s%n", oneMove);
      System.out.printf(
          "drain: state %s, %d of %d moves done   %.2f s in all, %.0f ms per move%n",
          drain.path("State").asText(),
          drain.path("MovesDone").asInt(),
          domains,
          drainSeconds,
          drainSeconds * 1000 / domains);
      System.out.printf("each move within the drain              %s ms%n", moveMillis);
      System.out.printf(
          "ideal ceil(%d/%d) x one move             %.2f s%n", domains, perHost, ideal);
      System.out.printf(
          "%ndrain / ideal                           %.2f   goal <= 1.2: %s%n",
          drainSeconds / ideal, drainSeconds / ideal <= 1.2 ? "met" : "MISSED");
      return 0;
    }
  }

  private double awaitSeconds(String xcm, String id) throws Exception {
    String mbean = "xcm:type=Operation,id=\"" + id + "\"";
    JsonNode op = jolokia.read(xcm, mbean, "State", "DurationSeconds");
    while (op.path("State").asText().equals("RUNNING")) {
      Thread.sleep(20);
      op = jolokia.read(xcm, mbean, "State", "DurationSeconds");
    }
    if (!op.path("State").asText().equals("SUCCEEDED")) {
      throw new IllegalStateException(
          "operation "
              + id
              + " ended "
              + op.path("State").asText()
              + ": "
              + jolokia.read(xcm, mbean, "Errors"));
    }
    return op.path("DurationSeconds").asDouble();
  }
}
