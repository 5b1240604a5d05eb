package xcm.bench.day;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import xcm.coordinator.balancing.BalancerSettings;
import xcm.coordinator.balancing.MigrationThreshold;
import xcm.coordinator.balancing.PowerSettings;
import xcm.coordinator.plan.BalancePolicies;
import xcm.coordinator.plan.Planner;
import xcm.mbeans.AutomationLevel;

class DayBenchTest {
  private static final Planner PLANNER =
      new Planner(BalancePolicies.installed(DayBenchTest.class.getClassLoader()));

  @Test
  void aTraceReadsBackAsItWasWritten() throws IOException {
    DayTrace trace = TraceGenerator.generate(4, 30, 20, 9);
    StringWriter text = new StringWriter();
    TraceCsv.write(trace, text);

    DayTrace read = TraceCsv.read(new BufferedReader(new StringReader(text.toString())));

    assertThat(read.hosts()).isEqualTo(trace.hosts());
    assertThat(read.vms()).isEqualTo(trace.vms());
    assertThat(read.minutes()).isEqualTo(20);
    for (int m = 0; m < 20; m++) {
      for (int v = 0; v < 30; v++) {
        assertThat(read.cpu(m, v))
            .isCloseTo(trace.cpu(m, v), org.assertj.core.data.Offset.offset(0.001));
        assertThat(read.memoryBytes(m, v)).isEqualTo(trace.memoryBytes(m, v));
      }
    }
  }

  @Test
  void aBadTraceLineIsNamedWithItsReason() throws IOException {
    String head =
        TraceCsv.MAGIC + "\n# host,h1,8,16384\n# vm,web,2,2048,h1\nminute,vm,cpu,memory_mib\n";
    assertThatThrownBy(() -> read(head + "0,web,3.5,2048\n"))
        .hasMessage("trace line 5: cpu must be 0 to the VM's 2 vCPUs, found: 3.5");
    assertThatThrownBy(() -> read(head + "0,db,1,2048\n"))
        .hasMessage("trace line 5: VM \"db\" is not listed in a \"# vm\" line");
    assertThatThrownBy(() -> read("minute,vm,cpu,memory_mib\n"))
        .hasMessage("trace line 1: the first line must be \"" + TraceCsv.MAGIC + "\"");
    // A minute a VM has no row keeps its last value.
    DayTrace sparse = read(head + "0,web,1.5,2048\n3,web,0.5,2048\n");
    assertThat(sparse.minutes()).isEqualTo(4);
    assertThat(sparse.cpu(2, 0)).isEqualTo(1.5);
  }

  private static DayTrace read(String text) throws IOException {
    return TraceCsv.read(new BufferedReader(new StringReader(text)));
  }

  @Test
  void everyPolicyKeepsEachVmOnOneHostAndWithinItsMemory() {
    DayTrace trace = TraceGenerator.generate(8, 150, 300, 4);
    BalancerSettings full =
        BalancerSettings.defaults()
            .withLevel(AutomationLevel.FULL)
            .withThreshold(new MigrationThreshold(4));
    List<DayPolicy> policies =
        List.of(
            new XcmPolicy("xcm", PLANNER, full, PowerSettings.defaults()),
            new XcmPolicy("xcm power", PLANNER, full, PowerSettings.defaults().withEnabled(true)),
            new ProxLbPolicy(30, 10),
            new OvirtPolicy());
    for (DayPolicy policy : policies) {
      DayMetrics metrics = new DayMetrics();
      SimCluster cluster = new SimCluster(trace, metrics);
      for (int m = 0; m < trace.minutes(); m++) {
        cluster.replay(m);
        int placed = 0;
        for (int h = 0; h < cluster.hostCount(); h++) {
          placed += cluster.vmsOn(h);
          assertThat(cluster.usedMib(h))
              .as("%s minute %d host %d", policy.name(), m, h)
              .isLessThanOrEqualTo(cluster.capacityMib(h));
          if (cluster.power(h) == SimCluster.Power.STANDBY) {
            assertThat(cluster.vmsOn(h))
                .as("%s: a STANDBY host holds no VM", policy.name())
                .isZero();
          }
        }
        assertThat(placed).isEqualTo(cluster.vmCount());
        policy.observe(cluster);
        if ((m + 1) % policy.intervalMinutes() == 0) {
          policy.round(cluster);
        }
      }
      if (policy instanceof XcmPolicy) {
        assertThat(metrics.migrations()).as(policy.name()).isPositive();
      }
    }
  }

  @Test
  void ganetisHbalRunsHourlyOnASmallDayAndItsSolutionIsReplayed(@TempDir Path dir) {
    assertThat(Path.of("/usr/bin/hbal"))
        .as("hbal is missing: ./xcm test installs ganeti-htools")
        .isExecutable();
    DayTrace trace = TraceGenerator.generate(6, 60, 180, 3);

    DayMetrics metrics = DayBench.run(trace, new HbalPolicy(dir, 60)).metrics();

    assertThat(metrics.migrations()).as("hbal balances the random placement").isPositive();
    assertThat(metrics.dropped()).isZero();
  }

  @Test
  void aVmSentBackWithinAnHourIsAPingPong() {
    DayTrace trace = TraceGenerator.generate(2, 4, 90, 1);
    DayPolicy bouncer =
        new DayPolicy() {
          @Override
          public String name() {
            return "bouncer";
          }

          @Override
          public int intervalMinutes() {
            return 1;
          }

          @Override
          public void round(SimCluster cluster) {
            // vm 0 goes to the other host at minute 10 and comes back at minute 40.
            int minute = cluster.minute();
            if (minute == 10 || minute == 40) {
              cluster.migrate(0, 1 - cluster.hostOf(0));
            }
          }
        };

    DayMetrics metrics = DayBench.run(trace, bouncer).metrics();

    assertThat(metrics.migrations()).isEqualTo(2);
    assertThat(metrics.pingPongs()).isEqualTo(1);
    assertThat(metrics.hostHours()).isEqualTo(2 * 90 / 60.0);
  }

  @Test
  void theBenchPrintsItsTableAndGoals() {
    int status =
        new CommandLine(new DayBench())
            .execute("--hosts", "8", "--vms", "120", "--minutes", "120", "--thresholds", "3");

    assertThat(status).isZero();
  }
}
