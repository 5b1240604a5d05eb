package xcm.coordinator.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import xcm.mbeans.DomainState;
import xcm.mbeans.HostState;
import xcm.mbeans.placement.HostLabels;
import xcm.mbeans.placement.PlacementRules;

class SnapshotJsonTest {
  private static final String ISSUE_EXAMPLE =
      "{\"hosts\":[{\"name\":\"h1\",\"state\":\"ACTIVE\",\"memoryBytes\":68719476736,"
          + "\"reservedMemoryBytes\":1073741824,\"cpus\":16}],\"domains\":[{\"name\":\"vm1\","
          + "\"host\":\"h1\",\"state\":\"RUNNING\",\"memoryBytes\":2147483648,\"vcpus\":2,"
          + "\"cpuUtilisation\":0.35}]}";

  @Test
  void readsTheDocumentedFormat() {
    ClusterSnapshot snapshot = SnapshotJson.read(ISSUE_EXAMPLE);

    assertThat(snapshot.hosts())
        .containsExactly(
            new ClusterSnapshot.Host("h1", HostState.ACTIVE, 68719476736L, 1073741824L, 16));
    assertThat(snapshot.domains())
        .containsExactly(
            new ClusterSnapshot.Domain(
                "vm1",
                "h1",
                DomainState.RUNNING,
                2147483648L,
                2,
                0.35,
                PlacementRules.NONE,
                false,
                OptionalLong.empty()));
  }

  @Test
  void writesWhatItReads() {
    assertThat(SnapshotJson.write(SnapshotJson.read(ISSUE_EXAMPLE))).isEqualTo(ISSUE_EXAMPLE);
    ClusterSnapshot withOptions =
        SnapshotJson.read(
            "{\"hosts\":[{\"name\":\"h1\",\"state\":\"DRAINING\",\"memoryBytes\":10,\"cpus\":1}],"
                + "\"domains\":[{\"name\":\"vm1\",\"host\":\"h1\",\"state\":\"paused\","
                + "\"memoryBytes\":1,\"vcpus\":1,\"cpuUtilisation\":0,\"antiAffinityGroup\":\"db\","
                + "\"pinned\":true,\"lastMovedSecondsAgo\":42}]}");
    assertThat(SnapshotJson.read(SnapshotJson.write(withOptions))).isEqualTo(withOptions);
    assertThat(withOptions.domains().get(0).rules()).isEqualTo(PlacementRules.parse("apart db"));
    ClusterSnapshot withRules =
        SnapshotJson.read(
            "{\"hosts\":[{\"name\":\"h1\",\"state\":\"ACTIVE\",\"memoryBytes\":10,\"cpus\":1,"
                + "\"labels\":\"ssd=true,rack=r1\"}],"
                + "\"domains\":[{\"name\":\"vm1\",\"host\":\"h1\",\"state\":\"running\","
                + "\"memoryBytes\":1,\"vcpus\":1,\"cpuUtilisation\":0,"
                + "\"rules\":\"together app soft; on rack=r1; pinned\"}]}");
    assertThat(withRules.hosts().get(0).labels()).isEqualTo(HostLabels.parse("rack=r1,ssd=true"));
    assertThat(withRules.domains().get(0).rules())
        .isEqualTo(PlacementRules.parse("together app soft; on rack=r1; pinned"));
    assertThat(SnapshotJson.read(SnapshotJson.write(withRules))).isEqualTo(withRules);
    assertThat(withOptions.domains().get(0).state()).isEqualTo(DomainState.PAUSED);
    assertThat(withOptions.hosts().get(0).reservedMemoryBytes()).isZero();
  }

  @Test
  void aDomainOnAHostThatIsNotListedIsNamed() {
    assertThatThrownBy(
            () -> SnapshotJson.read(ISSUE_EXAMPLE.replace("\"host\":\"h1\"", "\"host\":\"h9\"")))
        .isInstanceOf(SnapshotException.class)
        .hasMessage("domain \"vm1\": host \"h9\" is not listed in hosts");
  }

  @Test
  void badEntriesAreNamedWithTheReason() {
    assertBad(
        ISSUE_EXAMPLE.replace("\"memoryBytes\":2147483648", "\"memoryBytes\":-1"),
        "domain \"vm1\": memoryBytes must not be negative, found: -1");
    assertBad(
        ISSUE_EXAMPLE.replace("\"cpus\":16", "\"cpus\":\"many\""),
        "host \"h1\": cpus must be a whole number, found: \"many\"");
    assertBad(
        ISSUE_EXAMPLE.replace("\"cpuUtilisation\":0.35", "\"cpuUtilisation\":-0.5"),
        "domain \"vm1\": cpuUtilisation must be a finite number >= 0, found: -0.5");
    assertBad(
        ISSUE_EXAMPLE.replace("\"state\":\"ACTIVE\"", "\"state\":\"UP\""),
        "host \"h1\": state must be one of ACTIVE, UNREACHABLE, DRAINING, MAINTENANCE, REMOVED,"
            + " SUSPECT, FENCING, FENCE_FAILED, FAILED, STANDBY, found: \"UP\"");
    assertBad(
        ISSUE_EXAMPLE.replace(
            "\"cpuUtilisation\":0.35", "\"cpuUtilisation\":0.35,\"pinnned\":true"),
        "domain \"vm1\": unknown field \"pinnned\" (known: antiAffinityGroup, cpuUtilisation, host,"
            + " lastMovedSecondsAgo, memoryBytes, name, pinned, rules, state, vcpus)");
    assertBad(
        ISSUE_EXAMPLE.replace(
            "\"cpuUtilisation\":0.35", "\"cpuUtilisation\":0.35,\"rules\":\"apart db; on rack\""),
        "domain \"vm1\": rules: rule 'on rack': label 'rack' is not key=value (labels are"
            + " separated by commas)");
    assertBad(
        ISSUE_EXAMPLE.replace("\"cpus\":16", "\"cpus\":16,\"labels\":\"Rack=1\""),
        "host \"h1\": labels: label key 'Rack' must be lower-case letters, digits and _, starting"
            + " with a letter, at most 63");
    assertBad(ISSUE_EXAMPLE.replace(",\"vcpus\":2", ""), "domain \"vm1\": vcpus is missing");
    assertBad(
        ISSUE_EXAMPLE.replace("\"cpus\":16", "\"cpus\":4294967296"),
        "host \"h1\": cpus is too large, found: 4294967296");
    assertBad(
        ISSUE_EXAMPLE.replace("\"vcpus\":2", "\"vcpus\":2147483648"),
        "domain \"vm1\": vcpus is too large, found: 2147483648");
    assertBad(
        ISSUE_EXAMPLE.replace(
            "\"reservedMemoryBytes\":1073741824", "\"reservedMemoryBytes\":68719476736"),
        "host \"h1\": an ACTIVE host needs memoryBytes (68719476736) above reservedMemoryBytes"
            + " (68719476736)");
    assertBad(
        "{\"hosts\":[{\"name\":\"h1\",\"state\":\"ACTIVE\",\"memoryBytes\":8,\"cpus\":1},"
            + "{\"name\":\"h1\",\"state\":\"ACTIVE\",\"memoryBytes\":8,\"cpus\":1}],\"domains\":[]}",
        "host \"h1\" is listed twice");
    assertBad("{\"hosts\":[{\"state\":\"ACTIVE\"}],\"domains\":[]}", "hosts[0]: name is missing");
    assertBad("{\"hosts\":[]}", "snapshot: \"domains\" must be an array");
  }

  @Test
  void malformedJsonSaysWhere() {
    assertThatThrownBy(() -> SnapshotJson.read("{\"hosts\": [}"))
        .isInstanceOf(SnapshotException.class)
        .hasMessageStartingWith("snapshot is not valid JSON at line 1, column 12: ");
  }

  private static void assertBad(String json, String message) {
    assertThatThrownBy(() -> SnapshotJson.read(json))
        .isInstanceOf(SnapshotException.class)
        .hasMessage(message);
  }
}
