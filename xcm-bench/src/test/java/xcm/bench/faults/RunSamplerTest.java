package xcm.bench.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import xcm.bench.AgentJolokia;
import xcm.mbeans.DomainState;

class RunSamplerTest {
  private static AgentJolokia.Domain domain(String name, DomainState state) {
    return new AgentJolokia.Domain(name, name + "-uuid", state);
  }

  private static List<String> withoutTime(List<String> found) {
    return found.stream().map(f -> f.substring(0, f.indexOf(" @ "))).toList();
  }

  @Test
  void aDomainRunningOnTwoHostsInOneRoundIsAViolation() {
    Map<String, List<AgentJolokia.Domain>> read =
        Map.of(
            "dmz01", List.of(domain("web01", DomainState.RUNNING)),
            "dmz02",
                List.of(domain("web01", DomainState.RUNNING), domain("db01", DomainState.RUNNING)));

    assertThat(withoutTime(RunSampler.doubleRuns(read, null)))
        .containsExactly("web01 runs on [dmz01, dmz02]");
  }

  @Test
  void aCopyThatIsShutOffOrPausedBesideTheRunningOneIsNone() {
    Map<String, List<AgentJolokia.Domain>> read =
        Map.of(
            "dmz01", List.of(domain("web01", DomainState.SHUTOFF)),
            "dmz02", List.of(domain("web01", DomainState.RUNNING)),
            "dmz03", List.of(domain("web01", DomainState.PAUSED)));

    assertThat(RunSampler.doubleRuns(read, null)).isEmpty();
  }

  @Test
  void aGuardedDomainRunningOnAnotherHostIsAViolationThoughItsHostCannotBeRead() {
    // dmz01 is stopped: not read at all, yet its web01 may still run there.
    Map<String, List<AgentJolokia.Domain>> read =
        Map.of(
            "dmz02", List.of(domain("web01", DomainState.RUNNING)),
            "dmz03", List.of(domain("db01", DomainState.RUNNING)));
    RunSampler.Guard guard =
        RunSampler.guardOf("dmz01", Set.of("web01-uuid"), "is stopped or resumed, not fenced");

    assertThat(withoutTime(RunSampler.doubleRuns(read, guard)))
        .containsExactly("web01 runs on [dmz02] while dmz01 is stopped or resumed, not fenced");
  }

  @Test
  void aGuardedDomainStillOnItsOwnHostIsFine() {
    Map<String, List<AgentJolokia.Domain>> read =
        Map.of("dmz01", List.of(domain("web01", DomainState.RUNNING)));

    assertThat(
            RunSampler.doubleRuns(
                read, RunSampler.guardOf("dmz01", Set.of("web01-uuid"), "is not fenced")))
        .isEmpty();
  }
}
