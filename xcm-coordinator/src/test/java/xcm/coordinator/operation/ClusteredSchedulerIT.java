package xcm.coordinator.operation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.management.MBeanServerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import xcm.client.Credentials;
import xcm.coordinator.collect.Agents;
import xcm.coordinator.journal.Journal;
import xcm.coordinator.journal.LocalPostgres;
import xcm.coordinator.migration.MigrationQueue;
import xcm.coordinator.migration.MoveResolver;
import xcm.coordinator.schedule.ClusterScheduler;

/**
 * The jobs that act, in Quartz's JDBC job store on a PostgreSQL journal ({@link LocalPostgres}),
 * clustered: the active coordinator's scheduler fires them from the database, a standby's does not
 * run at all.
 */
class ClusteredSchedulerIT {
  private static final ExecutorService HTTP = Executors.newSingleThreadExecutor();

  @AfterAll
  static void stopHttp() {
    HTTP.shutdownNow();
  }

  @Test
  void theActivesJobsRunFromTheJournalsDatabaseAndAStandbysDoNot() throws Exception {
    try (LocalPostgres postgres = LocalPostgres.start()) {
      String url = postgres.createDatabase("xcm");
      FakeCluster cluster = new FakeCluster().host("a", 32).host("b", 32).join();
      try (Journal journal = Journal.open(url, "xcm", "", Clock.systemUTC());
          MigrationQueue queue = new MigrationQueue(cluster, 2, 8)) {
        OperationService service =
            cluster.operations(
                queue, MBeanServerFactory.newMBeanServer(), Clock.systemUTC(), journal);
        for (int i = 0; i < 20; i++) {
          service.audit().record(new Requester("jolokia", "xcm"), "drain h" + i, "done");
          Thread.sleep(2);
        }
        ClusterScheduler active = scheduler(cluster, service, url, "c1");
        ClusterScheduler standby = scheduler(cluster, service, url, "c2");
        try {
          active.start();

          await().atMost(20, TimeUnit.SECONDS).until(() -> journal.auditSize() == 5);
          assertThat(
                  count(url, "SELECT COUNT(*) FROM qrtz_scheduler_state WHERE sched_name = 'xcm'"))
              .as("only the started scheduler checks in with the cluster")
              .isEqualTo(1);
          assertThat(
                  count(
                      url,
                      "SELECT COUNT(*) FROM qrtz_triggers WHERE sched_name = 'xcm' AND"
                          + " trigger_name IN ('settle-unsettled', 'audit-prune')"))
              .isEqualTo(2);
        } finally {
          active.close();
          standby.close();
        }
      }
    }
  }

  @Test
  void theJobStoresSessionsEndWhenLeftIdleInATransaction() throws Exception {
    try (LocalPostgres postgres = LocalPostgres.start()) {
      String url = postgres.createDatabase("xcm");
      try (Connection c =
              DriverManager.getConnection(
                  ClusterScheduler.withIdleLimit(url, Duration.ofMillis(300)), "xcm", "");
          Statement s = c.createStatement()) {
        c.setAutoCommit(false);
        s.execute("SELECT 1");
        Thread.sleep(1500);
        assertThatThrownBy(() -> s.execute("SELECT 1"))
            .as("a session paused in a transaction lets its locks go")
            .isInstanceOf(SQLException.class);
      }
    }
  }

  private static ClusterScheduler scheduler(
      FakeCluster cluster, OperationService service, String url, String name) throws Exception {
    return ClusterScheduler.create(
        new ClusterScheduler.Jobs(
            service,
            new UnsettledMoves(
                Journal.inMemory(Clock.systemUTC()),
                new MoveResolver(
                    Agents.client(Credentials.basic("xcm", "pw"), Duration.ofSeconds(1), HTTP),
                    () -> 1L,
                    Duration.ZERO,
                    Duration.ofMillis(10)),
                cluster.inventory,
                service),
            Duration.ofHours(1),
            "",
            "weighted",
            new AuditRetention(Duration.ofDays(90), 5, Duration.ofMillis(100)),
            ContinuousBalancingTest.off(service),
            Duration.ofHours(1)),
        () -> true,
        Optional.of(new ClusterScheduler.JdbcStore(url, "xcm", "", name, Duration.ofSeconds(4))));
  }

  private static long count(String url, String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection(url, "xcm", "");
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery(sql)) {
      r.next();
      return r.getLong(1);
    }
  }
}
