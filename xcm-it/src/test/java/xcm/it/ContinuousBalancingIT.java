package xcm.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xcm.testkit.launch.Secrets;
import xcm.testkit.launch.XcmCommands.Program;

/**
 * Continuous balancing across processes: a coordinator and three agents on libvirt's test driver,
 * each its own JVM on loopback, with rounds every 2 s on demand smoothed over 2 s. The VMs' CPU
 * load is set through the test kit's load files beside each agent's state file. At level full a
 * load change is balanced once, by the schedule, and the rounds after it move nothing; at level
 * manual the rounds recommend and nothing moves until the operator applies the recommendation.
 */
class ContinuousBalancingIT {
  private static final String OPERATIONS = "xcm:type=Operations";
  private static final String BALANCING = "xcm:type=Balancing";
  private static final List<String> HOSTS = List.of("dmz01", "dmz02", "dmz03");
  @TempDir static Path dir;
  private static Path password;
  private static Jvm coordinator;
  private static Jolokia xcm;
  private static final Map<String, Jvm> agents = new HashMap<>();

  @BeforeAll
  static void startCluster() throws Exception {
    password = Secrets.write(dir.resolve("password"), "s3cret");
    setLoad(Map.of());
    coordinator =
        Jvm.coordinator("balancing-coordinator", "1s")
            .with("--state-dir", dir.resolve("state"))
            .with("--jolokia-password-file", password)
            .property("xcm.coordinator.nightly-balance.cron=")
            .property("xcm.coordinator.balancing.interval=2s")
            .property("xcm.coordinator.balancing.window=2s")
            // No cooldown: what keeps the rounds after a move from moving again is the gain and
            // noise test alone (and the manual phase may move VMs the first phase spread).
            .property("xcm.coordinator.balancing.cooldown=0s")
            .start();
    xcm = new Jolokia(coordinator.jolokiaUrl, "xcm", "s3cret");
    for (String host : HOSTS) {
      agents.put(
          host,
          Jvm.agent("balancing-" + host, Jvm.testNode(host))
              .with("--sample-interval", "1s")
              .with("--jolokia-password-file", password)
              .with("--libvirt-state", dir.resolve(host + ".state.xml"))
              .joining(coordinator, xcm, dir, host)
              .start());
    }
    await()
        .atMost(30, TimeUnit.SECONDS)
        .until(
            () -> xcm.read("xcm:type=Cluster").path("value").path("ActiveHostCount").asInt() == 3);
  }

  @AfterAll
  static void stopCluster() {
    agents.values().forEach(Jvm::close);
    if (coordinator != null) {
      coordinator.close();
    }
  }

  @Test
  void fullBalancesALoadChangeOnceThenManualRecommendsUntilApplied() throws Exception {
    // Every VM starts on dmz01: spread them first, by hand, with the load even and low.
    String spread = value(xcm.exec(OPERATIONS, "balance", "weighted", "false"));
    assertThat(xcm.awaitOperationEnd(spread, Duration.ofSeconds(60)).path("State").asText())
        .isEqualTo("SUCCEEDED");

    // A load change: the VMs of the host holding most become busy.
    Map<String, List<String>> before = placement();
    String busiest = mostVms(before);
    Map<String, Double> load = new HashMap<>();
    before.get(busiest).forEach(vm -> load.put(vm, 0.95));
    setLoad(load);
    // Manual until the smoothed demand has caught up with the change. Under load the samples come
    // late: a round at level full before then moves part of the way, and a later one the rest
    // (a CI run saw two operations).
    assertThat(value(xcm.exec(BALANCING, "changeLevel", "manual"))).isEmpty();
    awaitSteadyRecommendation();
    assertThat(value(xcm.exec(BALANCING, "changeLevel", "full"))).isEmpty();

    await().atMost(60, TimeUnit.SECONDS).until(() -> continuousOperations().size() == 1);
    String moved = continuousOperations().get(0);
    assertThat(xcm.awaitOperationEnd(moved, Duration.ofSeconds(60)).path("State").asText())
        .isEqualTo("SUCCEEDED");
    Map<String, List<String>> after = placement();
    assertThat(busyOn(after.get(busiest), load))
        .as("busy VMs the busy host still runs")
        .isLessThan(load.size());
    // The next rounds (five at least) move nothing.
    long movedRounds = rounds("moved");
    String lastAt = lastRound().path("at").asText();
    for (int i = 0; i < 5; i++) {
      String seen = lastAt;
      await()
          .atMost(20, TimeUnit.SECONDS)
          .until(() -> !lastRound().path("at").asText().equals(seen));
      lastAt = lastRound().path("at").asText();
    }
    assertThat(continuousOperations()).hasSize(1);
    assertThat(rounds("moved")).isEqualTo(movedRounds);
    assertThat(lastRound().path("result").asText()).isIn("balanced", "no_gain");
    assertThat(placement()).isEqualTo(after);

    // Manual: another load change is recommended, and nothing moves until it is applied.
    assertThat(value(xcm.exec(BALANCING, "changeLevel", "manual"))).isEmpty();
    String heavy = mostVms(after);
    Map<String, Double> second = new HashMap<>();
    after.get(heavy).forEach(vm -> second.put(vm, 0.95));
    setLoad(second);
    await()
        .atMost(60, TimeUnit.SECONDS)
        .until(() -> lastRound().path("result").asText().equals("recommended"));
    JsonNode recommendation = xcm.read(BALANCING).path("value").path("Recommendation");
    assertThat(recommendation.size()).isPositive();
    Thread.sleep(5_000);
    assertThat(continuousOperations()).hasSize(1);
    assertThat(placement()).isEqualTo(after);
    Cli shown = cli("balancing");
    assertThat(shown.out())
        .contains("level manual")
        .contains("recommendation (./xcm balancing apply runs it)");

    Cli apply = cli("balancing", "apply");

    assertThat(apply.exit()).as(apply.out()).isZero();
    String applied = apply.out().strip().replace("started operation ", "");
    assertThat(xcm.awaitOperationEnd(applied, Duration.ofSeconds(60)).path("State").asText())
        .isEqualTo("SUCCEEDED");
    assertThat(busyOn(placement().get(heavy), second)).isLessThan(second.size());
    assertThat(cli("history").out())
        .contains("balance continuous")
        .contains("balancing level manual");
    assertThat(Jolokia.get(coordinator.metricsUrl))
        .containsPattern("xcm_balance_rounds_total\\{result=\"moved\"} [1-9]")
        .contains("xcm_cluster_imbalance ");
  }

  // ---- the cluster, read

  private static String value(JsonNode reply) {
    assertThat(reply.path("status").asInt()).as(reply.toString()).isEqualTo(200);
    return reply.path("value").isNull() ? "" : reply.path("value").asText();
  }

  /** Waits for three rounds running that recommend the same moves. */
  private static void awaitSteadyRecommendation() throws Exception {
    List<List<String>> seen = new ArrayList<>();
    String[] at = {lastRound().path("at").asText()};
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (seen.size() < 3 || !seen.stream().allMatch(seen.get(seen.size() - 1)::equals)) {
      assertThat(System.nanoTime())
          .as("a steady recommendation; seen: " + seen)
          .isLessThan(deadline);
      await()
          .atMost(20, TimeUnit.SECONDS)
          .until(() -> !lastRound().path("at").asText().equals(at[0]));
      at[0] = lastRound().path("at").asText();
      List<String> recommended = new ArrayList<>();
      for (JsonNode move : xcm.read(BALANCING).path("value").path("Recommendation")) {
        recommended.add(
            move.path("domain").asText()
                + " "
                + move.path("from").asText()
                + " -> "
                + move.path("to").asText());
      }
      seen.add(recommended);
      if (seen.size() > 3) {
        seen.remove(0);
      }
      if (recommended.isEmpty()) {
        seen.clear();
      }
    }
  }

  private static JsonNode lastRound() throws Exception {
    return xcm.read(BALANCING).path("value").path("LastRound");
  }

  /** The ids of the continuous balancer's operations. */
  private static List<String> continuousOperations() throws Exception {
    List<String> ids = new ArrayList<>();
    for (JsonNode op : xcm.read("xcm:type=Operation,*").path("value")) {
      if (op.path("Summary").asText().equals("balance continuous")) {
        ids.add(op.path("Id").asText());
      }
    }
    return ids;
  }

  private static long rounds(String result) throws Exception {
    String metrics = Jolokia.get(coordinator.metricsUrl);
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile(
                "xcm_balance_rounds_total\\{result=\"" + result + "\"} ([0-9.]+)")
            .matcher(metrics);
    assertThat(m.find()).as(metrics).isTrue();
    return (long) Double.parseDouble(m.group(1));
  }

  /** Each host's VMs, as its agent samples them now. */
  private static Map<String, List<String>> placement() throws Exception {
    Map<String, List<String>> where = new LinkedHashMap<>();
    for (String host : HOSTS) {
      Jolokia client =
          new Jolokia(agents.get(host).jolokiaUrl, "xcm", "s3cret", coordinator.authority());
      client.exec("xcm:type=HostOperations", "sampleNow");
      List<String> names = new ArrayList<>();
      for (JsonNode d : client.read("xcm:type=Domain,*").path("value")) {
        names.add(d.path("Name").asText());
      }
      names.sort(null);
      where.put(host, names);
    }
    return where;
  }

  private static long busyOn(List<String> vms, Map<String, Double> busy) {
    return vms.stream().filter(busy::containsKey).count();
  }

  private static String mostVms(Map<String, List<String>> where) {
    return where.entrySet().stream()
        .max(Map.Entry.comparingByValue(java.util.Comparator.comparingInt(List::size)))
        .orElseThrow()
        .getKey();
  }

  /** The same load file on every host: these VMs at their fraction, every other at 5%. */
  private static void setLoad(Map<String, Double> busy) throws Exception {
    StringBuilder text = new StringBuilder("*=0.05\n");
    busy.forEach((vm, fraction) -> text.append(vm).append('=').append(fraction).append('\n'));
    for (String host : HOSTS) {
      Path file = dir.resolve(host + ".state.xml.load");
      Path written =
          Files.writeString(dir.resolve(host + ".load.tmp"), text, StandardCharsets.UTF_8);
      Files.move(
          written,
          file,
          java.nio.file.StandardCopyOption.REPLACE_EXISTING,
          java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
  }

  private record Cli(int exit, String out) {}

  /** Runs the CLI as {@code ./xcm} does, as the operator; its output and errors together. */
  private static Cli cli(String... args) throws Exception {
    List<String> command = new ArrayList<>(Jvm.COMMANDS.command(Program.CLI, List.of(args)));
    command.addAll(
        List.of(
            "--url",
            coordinator.jolokiaUrl,
            "--user",
            "xcm",
            "--password-file",
            password.toString()));
    Process cli = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(cli.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    return new Cli(cli.waitFor(), out);
  }
}
