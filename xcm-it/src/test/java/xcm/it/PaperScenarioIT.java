package xcm.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xcm.testkit.launch.Secrets;
import xcm.testkit.launch.XcmCommands.Program;

/**
 * The seed paper's experiment, as {@code ./xcm demo --scenario paper} runs it: a coordinator and
 * dmz01 (8 domains) running, dmz02 and dmz03 agents waiting to be added; the scenario adds them,
 * balances, migrates and drains, and checks after every step that each domain is on one host.
 */
class PaperScenarioIT {

  @Test
  void paperScenarioEndsWithAllDomainsOnDmz03AndNoneLost(@TempDir Path dir) throws Exception {
    // One secret per role, as the demo keeps them.
    Path password = Secrets.write(dir.resolve("password"), "paper");
    // The agents' local operator, for the scenario's own reads; the coordinator has none.
    Path cluster = Secrets.write(dir.resolve("agent.password"), "paper-agents");
    List<Jvm> processes = new ArrayList<>();
    try {
      Jvm coordinator =
          Jvm.coordinator("paper-coordinator", "1s")
              .with("--state-dir", dir.resolve("state"))
              .with("--jolokia-password-file", password)
              .property("xcm.coordinator.cooldown=0s")
              .start();
      processes.add(coordinator);
      Jolokia xcm = new Jolokia(coordinator.jolokiaUrl, "xcm", "paper");
      List<String> joins = new ArrayList<>();
      for (String host : List.of("dmz01", "dmz02", "dmz03")) {
        Jvm.Options options =
            Jvm.agent("paper-" + host, Jvm.testNode(host))
                .with("--sample-interval", "1s")
                .with("--jolokia-password-file", cluster);
        if (host.equals("dmz01")) {
          options.joining(coordinator, xcm, dir, host);
        } else {
          // They ask to join at once and wait: the scenario approves them, step by step.
          options.asking(coordinator, dir.resolve(host + "-tls"), host);
        }
        Jvm agent = options.start();
        processes.add(agent);
        if (!host.equals("dmz01")) {
          joins.addAll(List.of("--join", host + "=" + agent.jolokiaUrl));
        }
      }
      org.awaitility.Awaitility.await()
          .atMost(java.time.Duration.ofSeconds(30))
          .until(
              () ->
                  xcm.read("xcm:type=Cluster").path("value").path("ActiveHostCount").asInt() == 1);

      List<String> args =
          new ArrayList<>(
              List.of(
                  "--url",
                  coordinator.jolokiaUrl,
                  "--password-file",
                  password.toString(),
                  "--agent-password-file",
                  cluster.toString(),
                  "--authority",
                  coordinator.authority().toString()));
      args.addAll(joins);
      List<String> command = Jvm.COMMANDS.command(Program.PAPER_SCENARIO, args);
      Process scenario = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(scenario.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

      assertThat(scenario.waitFor()).as(out).isZero();
      assertThat(out)
          .contains("8 domains, none lost or duplicated at any step; dmz03 hosts 8 of them");
      List<String> timeline = out.lines().dropWhile(l -> !l.startsWith("STEP")).toList();
      assertThat(timeline.get(0))
          .startsWith("STEP")
          .contains("dmz01", "dmz02", "dmz03", "TOTAL", "MOVES");
      assertThat(timeline.get(1)).matches("start\\s+8\\s+-\\s+-\\s+8\\s*");
      assertThat(timeline.get(3))
          .matches("balance \\(domain-count,target=strict\\)\\s+4\\s+4\\s+-\\s+8\\s+4");
      assertThat(timeline.get(timeline.size() - 2))
          .matches("drain dmz02\\s+0\\s+0\\s+8\\s+8\\s+\\d+");
    } finally {
      processes.forEach(Jvm::close);
    }
  }
}
