package xcm.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static xcm.coordinator.migration.FakeAgent.Plan.succeed;
import static xcm.mbeans.DomainState.RUNNING;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xcm.coordinator.enrol.EnrolmentDesk;
import xcm.coordinator.journal.Journal;
import xcm.coordinator.journal.JournaledMove;
import xcm.coordinator.journal.LocalPostgres;
import xcm.coordinator.journal.MovePhase;
import xcm.coordinator.migration.FakeAgent;
import xcm.coordinator.operation.Requester;
import xcm.mbeans.CoordinatorRole;
import xcm.mbeans.HostState;
import xcm.mbeans.ObjectNames;
import xcm.mbeans.StandbyException;

/**
 * Two coordinators on one PostgreSQL journal ({@link LocalPostgres}) and two agents ({@link
 * FakeAgent}, Jolokia over HTTPS, enrolled with the cluster's authority both coordinators share).
 * The active one, c1, reaches the database as a user of its own, so that the test can cut it off
 * from the database in the middle of a drain, as a network partition would: c2 takes over and the
 * drain ends as it would have.
 */
class CoordinatorFailoverIT {
  private static final Requester OPERATOR = new Requester("jmx", "ops");

  @TempDir Path dir;
  private final Map<String, FakeAgent> network = new ConcurrentHashMap<>();
  private LocalPostgres postgres;
  private String url;
  private FakeAgent dmz01;
  private FakeAgent dmz02;
  private final MBeanServer server1 = MBeanServerFactory.createMBeanServer();
  private final MBeanServer server2 = MBeanServerFactory.createMBeanServer();
  private Coordinator c1;
  private Coordinator c2;

  @BeforeEach
  void start() throws Exception {
    postgres = LocalPostgres.start();
    url = postgres.createDatabase("xcm");
    sql("CREATE ROLE c1 LOGIN SUPERUSER");
    Path state1 = dir.resolve("c1");
    StateDirectory.prepare(state1);
    EnrolmentDesk desk = EnrolmentDesk.open(state1, Clock.systemUTC());
    dmz01 = FakeAgent.startEnrolled("dmz01", network, desk);
    dmz02 = FakeAgent.startEnrolled("dmz02", network, desk);
    // The second coordinator shares the cluster's authority; the journal tells it the hosts.
    Path state2 = dir.resolve("c2");
    StateDirectory.prepare(state2);
    copy(state1.resolve("ca"), state2.resolve("ca"));
    c1 = start("c1", state1, "c1", server1);
    c2 = start("c2", state2, "xcm", server2);
  }

  @AfterEach
  void stop() throws Exception {
    for (Coordinator c : new Coordinator[] {c2, c1}) {
      if (c != null) {
        c.close();
      }
    }
    MBeanServerFactory.releaseMBeanServer(server1);
    MBeanServerFactory.releaseMBeanServer(server2);
    dmz01.close();
    dmz02.close();
    postgres.close();
  }

  @Test
  void theStandbyServesTheViewsAndRefusesToActNamingTheActive() {
    await().atMost(20, TimeUnit.SECONDS).until(() -> heard(c2, "dmz01") && heard(c2, "dmz02"));

    assertThat(c1.leadership().role()).isEqualTo(CoordinatorRole.ACTIVE);
    assertThat(c2.leadership().role()).isEqualTo(CoordinatorRole.STANDBY);
    assertThatThrownBy(() -> c2.operations().drain("dmz01", false, OPERATOR))
        .isInstanceOf(StandbyException.class)
        .hasMessage(
            "coordinator c2 is a standby: the active coordinator is c1 at "
                + c1.endpoints().jolokiaUrl()
                + " (epoch 1)");
    assertThat(c2.operations().registry().all()).isEmpty();
  }

  @Test
  void aHostRemovedOnTheActiveIsLetGoOfByTheStandbyItsCertificateRevoked() throws Exception {
    await().atMost(20, TimeUnit.SECONDS).until(() -> heard(c2, "dmz01") && heard(c2, "dmz02"));
    String serial = c2.enrolment().enrolled("dmz02").orElseThrow().serial();

    assertThatThrownBy(() -> c2.enrolment().issueToken("dmz03", Duration.ofHours(1)))
        .isInstanceOf(StandbyException.class);
    assertThatThrownBy(
            () ->
                server2.invoke(
                    ObjectNames.operations(),
                    "removeHost",
                    new Object[] {"dmz01"},
                    new String[] {"java.lang.String"}))
        .hasStackTraceContaining("coordinator c2 is a standby");
    assertThat(c2.inventory().snapshot().host("dmz01").removedAt())
        .as("a standby removes nothing")
        .isNull();
    server1.invoke(
        ObjectNames.operations(),
        "removeHost",
        new Object[] {"dmz02"},
        new String[] {"java.lang.String"});

    await()
        .atMost(20, TimeUnit.SECONDS)
        .until(() -> c2.inventory().snapshot().host("dmz02").removedAt() != null);
    assertThat(c2.enrolment().enrolled("dmz02")).isEmpty();
    assertThat(c2.enrolment().revocations().isRevoked(new BigInteger(serial, 16))).isTrue();
    assertThat(c2.inventory().snapshot().host("dmz01").removedAt()).isNull();
  }

  @Test
  void aDrainWhoseCoordinatorIsCutOffIsFinishedByTheStandbyTakingOver() throws Exception {
    for (String vm : new String[] {"web01", "web02", "web03", "db01"}) {
      dmz01.domain(vm, RUNNING);
    }
    // Each migration runs for a few status reads, so that the cut falls among the moves.
    dmz01.plan(
        succeed().running(6), succeed().running(6), succeed().running(6), succeed().running(6));
    await().atMost(20, TimeUnit.SECONDS).until(() -> heard(c1, "dmz01") && heard(c1, "dmz02"));

    String id = c1.operations().drain("dmz01", false, OPERATOR);
    await().atMost(20, TimeUnit.SECONDS).until(() -> dmz01.migrateCalls() >= 1);
    long cut = System.nanoTime();
    sql("ALTER ROLE c1 NOLOGIN");
    sql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = 'c1'");

    await().atMost(15, TimeUnit.SECONDS).until(() -> c2.leadership().active());
    Duration takeover = Duration.ofNanos(System.nanoTime() - cut);
    await()
        .atMost(60, TimeUnit.SECONDS)
        .until(() -> c2.inventory().snapshot().host("dmz01").state() == HostState.MAINTENANCE);

    assertThat(takeover).isLessThan(Duration.ofSeconds(15));
    assertThat(c1.leadership().active()).isFalse();
    assertThat(dmz02.states()).containsOnlyKeys("web01", "web02", "web03", "db01");
    assertThat(dmz01.migrateCalls()).as("no domain moved twice").isEqualTo(4);
    assertThat(dmz01.getEpoch()).isEqualTo(2);
    assertThat(dmz02.getEpoch())
        .as("told at the takeover, though asked nothing since")
        .isEqualTo(2);
    try (Journal journal = Journal.open(url, "xcm", "", Clock.systemUTC())) {
      assertThat(journal.unfinished()).as("no operation left running").isEmpty();
      assertThat(journal.moves(id))
          .extracting(JournaledMove::phase)
          .doesNotContain(MovePhase.PENDING, MovePhase.DISPATCHING, MovePhase.DISPATCHED);
      assertThat(journal.hostModes()).containsEntry("dmz01", HostState.MAINTENANCE);
      assertThat(journal.leases().current().epoch()).isEqualTo(2);
    }
    // The partition heals: c1 finds c2 holding the lease and stands down for good.
    sql("ALTER ROLE c1 LOGIN");
    await()
        .atMost(30, TimeUnit.SECONDS)
        .until(() -> c1.leadership().role() == CoordinatorRole.DEPOSED);
  }

  private Coordinator start(String name, Path state, String user, MBeanServer server)
      throws Exception {
    Map<String, String> values = TestSettings.of(state);
    values.put("xcm.coordinator.name", name);
    values.put("xcm.coordinator.journal.url", url);
    values.put("xcm.coordinator.journal.user", user);
    values.put("xcm.coordinator.collect-interval", "500ms");
    values.put("xcm.coordinator.cooldown", "0s");
    return Coordinator.start(
        CoordinatorConfig.load(values), server, new PrometheusRegistry(), Clock.systemUTC());
  }

  private void sql(String statement) throws SQLException {
    postgres.execute(url, statement);
  }

  private static void copy(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Files.copy(
            f, to.resolve(from.relativize(f).toString()), StandardCopyOption.COPY_ATTRIBUTES);
      }
    }
  }

  private static boolean heard(Coordinator coordinator, String host) {
    var record = coordinator.inventory().snapshot().host(host);
    return record != null && record.data() != null;
  }
}
