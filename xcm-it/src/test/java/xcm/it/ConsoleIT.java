package xcm.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xcm.testkit.launch.Secrets;

/**
 * The web console in a real browser: a coordinator and three agents on libvirt's test driver, each
 * its own JVM on loopback, and Debian's Chromium driven by playwright-core
 * (xcm-console/e2e/console-e2e.mjs) signing in as the monitor and as the operator. dmz03 is a small
 * host (4 GiB): too small for db01 (8 GiB), which a migrate there is refused for.
 */
class ConsoleIT {
  private static final Path CONSOLE = Path.of("..", "xcm-console").toAbsolutePath().normalize();
  private static final List<String> HOSTS = List.of("dmz01", "dmz02", "dmz03");
  @TempDir static Path dir;
  private static Jvm coordinator;
  private static final List<Jvm> agents = new ArrayList<>();

  @BeforeAll
  static void startCluster() throws Exception {
    Path password = Secrets.write(dir.resolve("password"), "s3cret");
    Path monitorPassword = Secrets.write(dir.resolve("monitor-password"), "look-only");
    coordinator =
        Jvm.coordinator("console-coordinator", "1s")
            .with("--state-dir", dir.resolve("state"))
            .with("--jolokia-password-file", password)
            .property("xcm.coordinator.jolokia.monitor.user=watcher")
            .property("xcm.coordinator.jolokia.monitor.password-file=" + monitorPassword)
            .property("xcm.coordinator.nightly-balance.cron=")
            .start();
    Jolokia xcm = new Jolokia(coordinator.jolokiaUrl, "xcm", "s3cret");
    Path small = dir.resolve("dmz03.xml");
    Files.writeString(
        small,
        Files.readString(Jvm.ROOT.resolve("nodes/dmz03.xml"))
            .replace("<memory>33554432</memory>", "<memory>4194304</memory>"));
    for (String host : HOSTS) {
      String node = host.equals("dmz03") ? "test://" + small : Jvm.testNode(host);
      agents.add(
          Jvm.agent("console-" + host, node)
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
    agents.forEach(Jvm::close);
    if (coordinator != null) {
      coordinator.close();
    }
  }

  @Test
  void theConsoleWorksInABrowserForTheMonitorAndTheOperator() throws Exception {
    assertThat(Path.of("/usr/bin/chromium")).as("./xcm test installs chromium").exists();
    Path output = dir.resolve("e2e.log");
    ProcessBuilder node =
        new ProcessBuilder("node", "--test", "--test-reporter=spec", "e2e/console-e2e.mjs")
            .directory(CONSOLE.toFile())
            .redirectErrorStream(true)
            .redirectOutput(output.toFile());
    node.environment().put("XCM_CONSOLE_URL", coordinator.jolokiaUrl.replace("/jolokia/", "/ui/"));
    node.environment().put("XCM_OPERATOR", "xcm:s3cret");
    node.environment().put("XCM_MONITOR", "watcher:look-only");
    node.environment()
        .put("XCM_SHOTS", Path.of("target", "console-screenshots").toAbsolutePath().toString());
    node.environment().put("CHROMIUM", "/usr/bin/chromium");
    Process run = node.start();
    boolean ended = run.waitFor(5, TimeUnit.MINUTES);
    if (!ended) {
      run.descendants().forEach(ProcessHandle::destroyForcibly);
      run.destroyForcibly();
    }
    String printed = Files.readString(output, StandardCharsets.UTF_8);
    System.out.println(printed);
    assertThat(ended).as("the browser test ended within 5 minutes:\n" + printed).isTrue();
    assertThat(run.exitValue()).as(printed).isZero();
  }
}
