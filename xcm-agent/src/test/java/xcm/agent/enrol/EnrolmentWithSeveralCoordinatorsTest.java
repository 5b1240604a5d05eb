package xcm.agent.enrol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xcm.trust.ca.ClusterAuthority;

/**
 * An agent given several coordinators' enrolment doors, each played by a {@link TestCoordinator}
 * over real HTTPS (one authority, as coordinators sharing a journal): standbys and doors that do
 * not answer are passed at once, the door that answered is asked first, and only a pass in which no
 * door answered backs off.
 */
class EnrolmentWithSeveralCoordinatorsTest {
  private static final String HOST = "hv01";
  private static final String AGENT_URL = "https://hv01.example:8778/jolokia/";
  private static final UUID LIBVIRT = UUID.fromString("4dea22b3-1d52-d8f3-2516-782e98ab3fa0");
  private static final String STANDBY_C1 =
      "coordinator c1 is a standby: the active coordinator is c2 at https://c2:8780/jolokia/";

  @TempDir Path temp;
  private ClusterAuthority authority;
  private final List<AutoCloseable> open = new ArrayList<>();
  private final ByteArrayOutputStream log = new ByteArrayOutputStream();
  private PrintStream stderr;

  @BeforeEach
  void captureTheLog() throws Exception {
    stderr = System.err;
    System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
    authority = TestCoordinator.authority(temp.resolve("ca"));
  }

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : open) {
      c.close();
    }
    System.setErr(stderr);
    stderr.print(log.toString(StandardCharsets.UTF_8));
  }

  private <T extends AutoCloseable> T keep(T closeable) {
    open.add(closeable);
    return closeable;
  }

  private TestCoordinator coordinator() throws IOException {
    return keep(new TestCoordinator(authority, null));
  }

  private EnrolmentConfig config(Duration retry, String... urls) {
    return new EnrolmentConfig(
        List.of(urls).stream().map(URI::create).toList(),
        temp.resolve("ca/ca.crt"),
        authority.certificate(),
        Optional.empty(),
        temp.resolve("agent/tls"),
        Duration.ofMillis(50),
        retry);
  }

  private Enrolment start(EnrolmentConfig config) throws Exception {
    return keep(Enrolment.start(config, HOST, AGENT_URL, LIBVIRT, credentials -> {}));
  }

  private String logged() {
    return log.toString(StandardCharsets.UTF_8);
  }

  private static int occurrences(String text, String part) {
    int n = 0;
    for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
      n++;
    }
    return n;
  }

  /** A loopback URL where nothing listens: connections to it are refused at once. */
  private static String closedDoor() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return "https://127.0.0.1:" + socket.getLocalPort() + "/enrol";
    }
  }

  /** Accepts connections and hangs up at once, counting them: a door that gives no answer. */
  private static final class HangingUp implements AutoCloseable {
    final AtomicInteger connections = new AtomicInteger();
    private final ServerSocket socket;

    HangingUp() throws IOException {
      socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
      Thread acceptor =
          new Thread(
              () -> {
                while (!socket.isClosed()) {
                  try {
                    Socket accepted = socket.accept();
                    connections.incrementAndGet();
                    accepted.close();
                  } catch (IOException e) {
                    // Closed by the test: the loop ends.
                  }
                }
              },
              "hanging-up-door");
      acceptor.setDaemon(true);
      acceptor.start();
    }

    String url() {
      return "https://127.0.0.1:" + socket.getLocalPort() + "/enrol";
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }

  @Test
  void aStandbyDoorIsPassedForTheNextOne() throws Exception {
    TestCoordinator standby = coordinator();
    TestCoordinator active = coordinator();
    // Untrusted text: a line break to forge a log line, and more than the 200 characters kept.
    standby.desk(request -> TestCoordinator.standby(STANDBY_C1 + "\nforged " + "x".repeat(300)));
    active.desk(active::enrol);

    Enrolment enrolment = start(config(Duration.ofSeconds(5), standby.url(), active.url()));

    await().atMost(Duration.ofSeconds(10)).until(enrolment::enrolled);
    assertThat(standby.requests).hasSize(1);
    assertThat(active.requests).hasSize(1);
    assertThat(enrolment.problem()).isEmpty();
    String passed =
        "INFO xcm.agent.enrol.Doors - hv01: the coordinator at "
            + standby.url()
            + " is a standby: "
            + STANDBY_C1
            + "\\nforged "
            + "x".repeat(200 - STANDBY_C1.length() - "\nforged ".length())
            + "…; asking "
            + active.url();
    assertThat(logged())
        .as(logged())
        .contains(passed)
        .contains(
            "hv01: the coordinator at " + active.url() + " answered: asking it first from now on")
        .doesNotContain("\nforged")
        .doesNotContain("x".repeat(201))
        .doesNotContain("WARN");
  }

  @Test
  void anUnreachableFirstDoorIsPassedForTheNextOne() throws Exception {
    String closed = closedDoor();
    TestCoordinator active = coordinator();
    active.desk(active::enrol);

    Enrolment enrolment = start(config(Duration.ofSeconds(5), closed, active.url()));

    await().atMost(Duration.ofSeconds(10)).until(enrolment::enrolled);
    assertThat(active.requests).hasSize(1);
    assertThat(logged())
        .as(logged())
        .contains(
            "INFO xcm.agent.enrol.Doors - hv01: cannot reach the coordinator at " + closed + ": ")
        .contains("; asking " + active.url())
        .doesNotContain("WARN");
  }

  @Test
  void aServiceUnavailableThatIsNotAStandbyIsNoAnswerAndPassed() throws Exception {
    TestCoordinator overloaded = coordinator();
    TestCoordinator active = coordinator();
    overloaded.desk(request -> new TestCoordinator.Answer(503, "{\"state\":\"BUSY\"}"));
    active.desk(active::enrol);

    Enrolment enrolment = start(config(Duration.ofSeconds(5), overloaded.url(), active.url()));

    await().atMost(Duration.ofSeconds(10)).until(enrolment::enrolled);
    assertThat(logged())
        .as(logged())
        .contains(
            "hv01: the coordinator at "
                + overloaded.url()
                + " answered HTTP 503, not an enrolment answer: {\"state\":\"BUSY\"}; asking "
                + active.url());
  }

  @Test
  void theDoorThatAnsweredIsAskedFirstNextTime() throws Exception {
    HangingUp silent = keep(new HangingUp());
    TestCoordinator active = coordinator();
    Path approved = temp.resolve("approved");
    active.desk(
        request -> Files.exists(approved) ? active.enrol(request) : active.waiting(request));

    Enrolment enrolment = start(config(Duration.ofSeconds(5), silent.url(), active.url()));

    await().atMost(Duration.ofSeconds(10)).until(() -> active.requests.size() >= 2);
    int firstPass = silent.connections.get();
    assertThat(firstPass).isPositive();
    await().atMost(Duration.ofSeconds(10)).until(() -> active.requests.size() >= 6);
    assertThat(silent.connections.get())
        .as("the door that gave no answer is not asked while the other one answers")
        .isEqualTo(firstPass);
    Files.createFile(approved);
    await().atMost(Duration.ofSeconds(10)).until(enrolment::enrolled);
    assertThat(silent.connections.get()).isEqualTo(firstPass);
  }

  @Test
  void afterATakeOverTheNewActiveIsAskedFirst() throws Exception {
    TestCoordinator c1 = coordinator();
    TestCoordinator c2 = coordinator();
    Path takenOver = temp.resolve("taken-over");
    Path approved = temp.resolve("approved");
    // c1 is active and the host waits there, until c2 takes over: then c1 is a standby.
    c1.desk(
        request ->
            Files.exists(takenOver) ? TestCoordinator.standby(STANDBY_C1) : c1.waiting(request));
    c2.desk(
        request ->
            !Files.exists(takenOver)
                ? TestCoordinator.standby("coordinator c2 is a standby")
                : Files.exists(approved) ? c2.enrol(request) : c2.waiting(request));

    Enrolment enrolment = start(config(Duration.ofSeconds(5), c1.url(), c2.url()));

    await().atMost(Duration.ofSeconds(10)).until(() -> c1.requests.size() >= 3);
    assertThat(c2.requests).isEmpty();
    Files.createFile(takenOver);
    await().atMost(Duration.ofSeconds(10)).until(() -> c2.requests.size() >= 4);
    int asked = c1.requests.size();
    await().atMost(Duration.ofSeconds(10)).until(() -> c2.requests.size() >= 8);
    assertThat(c1.requests).as("c1, a standby now, was passed once").hasSize(asked);
    Files.createFile(approved);
    await().atMost(Duration.ofSeconds(10)).until(enrolment::enrolled);
    assertThat(c1.requests).hasSize(asked);
    assertThat(logged())
        .as(logged())
        .contains("hv01: the coordinator at " + c2.url() + " answered: asking it first from now on")
        .doesNotContain("cannot enrol yet");
  }

  @Test
  void aHostWaitingForApprovalAsksWhereItWaits() throws Exception {
    TestCoordinator standby = coordinator();
    TestCoordinator active = coordinator();
    TestCoordinator last = coordinator();
    standby.desk(request -> TestCoordinator.standby(STANDBY_C1));
    active.desk(active::waiting);
    last.desk(last::enrol);

    Enrolment enrolment =
        start(config(Duration.ofSeconds(5), standby.url(), active.url(), last.url()));

    await().atMost(Duration.ofSeconds(10)).until(() -> active.requests.size() >= 5);
    assertThat(standby.requests).as("passed in the first pass only").hasSize(1);
    assertThat(last.requests).as("never reached: the host waits at the door before it").isEmpty();
    assertThat(enrolment.enrolled()).isFalse();
    String waiting =
        "hv01: waiting for an operator to approve this host: ./xcm hosts approve hv01"
            + " --fingerprint "
            + enrolment.keyFingerprint();
    assertThat(enrolment.problem()).contains(waiting.substring("hv01: ".length()));
    assertThat(occurrences(logged(), waiting)).as(logged()).isEqualTo(1);
    assertThat(active.requests.stream().map(r -> r.get("certificateRequest").asText()).distinct())
        .as("one certificate request, asked again where it waits")
        .hasSize(1);
  }

  @Test
  void backsOffOnlyAfterEveryDoorFailed() throws Exception {
    TestCoordinator c1 = coordinator();
    TestCoordinator c3 = coordinator();
    String closed = closedDoor();
    List<Long> c1Asked = new CopyOnWriteArrayList<>();
    List<Long> c3Asked = new CopyOnWriteArrayList<>();
    c1.desk(
        request -> {
          c1Asked.add(System.nanoTime());
          return TestCoordinator.standby(STANDBY_C1);
        });
    c3.desk(
        request -> {
          c3Asked.add(System.nanoTime());
          return TestCoordinator.standby("coordinator c3 is a standby");
        });
    // Long enough that a pass on a loaded machine stays well inside it.
    Duration retry = Duration.ofSeconds(2);

    Enrolment enrolment = start(config(retry, c1.url(), closed, c3.url()));

    await().atMost(Duration.ofSeconds(40)).until(() -> c3Asked.size() >= 3);
    assertThat(enrolment.enrolled()).isFalse();
    for (int pass = 0; pass < 2; pass++) {
      long backoff = retry.toNanos() << pass;
      assertThat(c3Asked.get(pass) - c1Asked.get(pass))
          .as("pass %d asks every door at once", pass)
          .isLessThan(retry.toNanos());
      assertThat(c1Asked.get(pass + 1) - c3Asked.get(pass))
          .as("after pass %d, a back-off of %d ms", pass, backoff / 1_000_000)
          .isGreaterThanOrEqualTo(backoff);
    }
    String summary =
        "hv01: cannot enrol yet, retrying with back-off: none of the 3 coordinators' enrolment"
            + " doors answered: the coordinator at "
            + c1.url()
            + " is a standby: "
            + STANDBY_C1
            + "; cannot reach the coordinator at "
            + closed
            + ": ";
    assertThat(enrolment.problem().orElseThrow())
        .startsWith(summary.substring(summary.indexOf("none of")))
        .endsWith(
            "; the coordinator at " + c3.url() + " is a standby: coordinator c3 is a standby");
    assertThat(occurrences(logged(), "WARN")).as(logged()).isEqualTo(1);
    assertThat(logged()).contains("WARN xcm.agent.enrol.Enrolment - " + summary);
    assertThat(
            occurrences(
                logged(), "INFO xcm.agent.enrol.Doors - hv01: the coordinator at " + c1.url()))
        .as("a door's reason at info once, then at debug")
        .isEqualTo(1);
  }

  @Test
  void aSingleStandbyDoorBacksOffNamingIt() throws Exception {
    TestCoordinator standby = coordinator();
    standby.desk(request -> TestCoordinator.standby(STANDBY_C1));

    Enrolment enrolment = start(config(Duration.ofMillis(20), standby.url()));

    await().atMost(Duration.ofSeconds(10)).until(() -> standby.requests.size() >= 3);
    assertThat(enrolment.problem())
        .contains("the coordinator at " + standby.url() + " is a standby: " + STANDBY_C1);
    assertThat(logged())
        .as(logged())
        .doesNotContain("xcm.agent.enrol.Doors")
        .contains(
            "hv01: cannot enrol yet, retrying with back-off: the coordinator at "
                + standby.url()
                + " is a standby: "
                + STANDBY_C1);
  }
}
