package xcm.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xcm.coordinator.cli.CliRun;
import xcm.coordinator.enrol.EnrolmentDesk;
import xcm.coordinator.migration.FakeAgent;
import xcm.mbeans.DomainState;
import xcm.mbeans.ObjectNames;

/**
 * {@code ./xcm rules} against a real coordinator over its Jolokia, with agents that keep rules as
 * real ones do: an operator sets, sees and clears a VM's rules; rules that cannot hold, unknown VMs
 * and unreadable text are refused with the reason and nothing is written; the monitor sees and
 * cannot set; metadata an agent cannot read shows up in the view.
 */
class RulesCommandTest {
  @TempDir Path dir;
  private final Map<String, FakeAgent> network = new ConcurrentHashMap<>();
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private MBeanServer server;
  private Coordinator coordinator;
  private FakeAgent dmz01;
  private FakeAgent dmz02;

  @BeforeEach
  void start() throws Exception {
    StateDirectory.prepare(dir.resolve("state"));
    EnrolmentDesk desk = EnrolmentDesk.open(dir.resolve("state"), Clock.systemUTC());
    dmz01 =
        FakeAgent.startEnrolled("dmz01", network, desk)
            .domain("db1", DomainState.RUNNING)
            .domain("web1", DomainState.RUNNING);
    dmz02 = FakeAgent.startEnrolled("dmz02", network, desk).domain("db2", DomainState.RUNNING);
    Map<String, String> values = TestSettings.of(dir.resolve("state"));
    values.put("xcm.coordinator.jolokia.monitor.password", "monitor-secret");
    server = MBeanServerFactory.createMBeanServer();
    coordinator =
        Coordinator.start(CoordinatorConfig.load(values), server, registry, Clock.systemUTC());
    await()
        .atMost(10, TimeUnit.SECONDS)
        .until(() -> coordinator.inventory().snapshot().domainCount() == 3);
  }

  @AfterEach
  void stop() {
    if (coordinator != null) {
      coordinator.close();
    }
    MBeanServerFactory.releaseMBeanServer(server);
    network.values().forEach(FakeAgent::close);
  }

  private double violations(String kind, String strength) {
    for (var snapshot : registry.scrape()) {
      if (snapshot.getMetadata().getName().equals("xcm_placement_rule_violations")) {
        for (var point : ((GaugeSnapshot) snapshot).getDataPoints()) {
          if (point.getLabels().get("kind").equals(kind)
              && point.getLabels().get("strength").equals(strength)) {
            return point.getValue();
          }
        }
      }
    }
    throw new AssertionError("no xcm_placement_rule_violations{" + kind + "," + strength + "}");
  }

  private CliRun cli(String user, String password, String... args) throws Exception {
    return CliRun.as(coordinator.endpoints().jolokiaUrl(), dir, user, password, args);
  }

  private CliRun operator(String... args) throws Exception {
    return cli("xcm", "operator-secret", args);
  }

  @Test
  void anOperatorSetsSeesAndClearsAVmsRulesThroughItsAgent() throws Exception {
    CliRun set = operator("rules", "set", "db1", " apart db ;restart  high");
    assertThat(set.exit()).as(set.err()).isZero();
    assertThat(set.out()).contains("rules of db1: apart db; restart high");
    assertThat(dmz01.changes()).contains("setPlacement db1 apart db; restart high");
    assertThat(operator("rules", "set", "db2", "apart db").exit()).isZero();

    CliRun list = operator("rules");
    assertThat(list.out())
        .contains("apart db")
        .contains("db1,db2")
        .contains("every running member on its own host");
    assertThat(operator("rules", "show", "db2").out().strip()).isEqualTo("apart db");
    assertThat(server.getAttribute(ObjectNames.rules(), "HardViolations")).isEqualTo(0);
    assertThat(operator("history").out()).contains("rules db1:");

    CliRun clear = operator("rules", "clear", "db2");
    assertThat(clear.exit()).as(clear.err()).isZero();
    assertThat(operator("rules", "show", "db2").out()).contains("db2 has no placement rules");
  }

  @Test
  void rulesThatCannotHoldUnknownVmsAndBadTextAreRefusedAndNothingIsWritten() throws Exception {
    operator("rules", "set", "db1", "apart db");
    operator("rules", "set", "db2", "together db; apart x");

    CliRun contradiction = operator("rules", "set", "db1", "apart x; together db");
    CliRun nowhere = operator("rules", "set", "web1", "on rack=r9");
    CliRun unknown = operator("rules", "set", "nosuch", "pinned");
    CliRun bad = operator("rules", "set", "web1", "apart d\"b");

    assertThat(contradiction.exit()).isNotZero();
    assertThat(contradiction.err())
        .contains(
            "rules 'together db' and 'apart x' contradict each other: db1 and db2 would have to"
                + " share a host and not share one");
    assertThat(nowhere.err()).contains("no ACTIVE host meets 'on rack=r9'");
    assertThat(unknown.err()).contains("unknown domain 'nosuch': it is on no host of the cluster");
    assertThat(bad.err())
        .contains(
            "rules for web1: group name 'd\"b' must be 1 to 63 letters, digits, '.', '_' or '-'");
    assertThat(dmz01.changes()).containsExactly("setPlacement db1 apart db");
    assertThat(operator("rules", "show", "db1").out().strip()).isEqualTo("apart db");
  }

  @Test
  void theMonitorSeesRulesButCannotSetThem() throws Exception {
    operator("rules", "set", "db1", "pinned");

    assertThat(cli("monitor", "monitor-secret", "rules").out()).contains("pinned");
    assertThat(cli("monitor", "monitor-secret", "rules", "show", "db1").out().strip())
        .isEqualTo("pinned");
    CliRun set = cli("monitor", "monitor-secret", "rules", "set", "db1", "apart db");

    assertThat(set.exit()).isNotZero();
    assertThat(set.err()).startsWith("xcm rules set: ").contains("monitor");
    assertThat(dmz01.changes()).containsExactly("setPlacement db1 pinned");
  }

  @Test
  void aVmWhoseMetadataCannotBeReadIsNamedInTheViewAndTheMetric() throws Exception {
    dmz02.unreadablePlacement("db2", "<near> is not a placement rule");
    coordinator.collector().collect();

    CliRun broken = operator("rules", "--broken");

    assertThat(broken.out()).contains("metadata").contains("db2").contains("<near> is not a");
    assertThat(server.getAttribute(ObjectNames.rules(), "UnreadableRules")).isEqualTo(1);
    assertThat(violations("metadata", "hard")).isEqualTo(1);
    assertThat(violations("apart", "hard")).isZero();
  }
}
