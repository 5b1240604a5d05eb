package xcm.agent.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import xcm.agent.Fixtures;
import xcm.agent.MutableClock;
import xcm.agent.libvirt.Hypervisor;
import xcm.agent.libvirt.HypervisorException;
import xcm.agent.libvirt.LibvirtHypervisor;

class SamplerTest {
  private static final long MIB = 1024 * 1024;

  private final List<AutoCloseable> open = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : open) {
      c.close();
    }
  }

  private <T extends AutoCloseable> T track(T c) {
    open.add(0, c);
    return c;
  }

  private Sampler sampler(Hypervisor hypervisor, Clock clock) {
    return track(
        new Sampler(hypervisor, "lab01", Duration.ofHours(1), Duration.ofSeconds(8), clock));
  }

  private Hypervisor lab01() throws HypervisorException {
    return track(LibvirtHypervisor.open(Fixtures.LAB01));
  }

  @Test
  void firstSampleHoldsEveryDomainAndTheHostTotals() throws Exception {
    Sampler sampler = sampler(lab01(), Clock.systemUTC());

    HostSample sample = sampler.sampleNow();

    assertThat(sample.host()).isEqualTo("lab01");
    assertThat(sample.stale()).isFalse();
    assertThat(sample.connected()).isTrue();
    assertThat(sample.domains())
        .extracting(DomainSample::name)
        .containsExactly("db01", "off01", "paused01", "web,01=\"x\":y", "web01");
    assertThat(sample.capacity().cpus()).isEqualTo(8);
    assertThat(sample.activeDomains()).isEqualTo(4);
    assertThat(sample.activeVcpus()).isEqualTo(2 + 4 + 1 + 1);
    assertThat(sample.domainMemoryBytes()).isEqualTo((1536 + 4096 + 512 + 1024) * MIB);
    // The test driver cannot tell free memory: total minus what active domains hold.
    assertThat(sample.memoryFreeBytes())
        .isEqualTo(16L * 1024 * MIB - (1536 + 4096 + 512 + 1024) * MIB);
    assertThat(sample.errorsTotal()).isZero();
    assertThat(sample.samplesTotal()).isEqualTo(1);
  }

  @Test
  void cpuUtilisationComesFromTheCpuTimeDeltaPerVcpu() throws Exception {
    Sampler sampler = sampler(lab01(), Clock.systemUTC());
    HostSample first = sampler.sampleNow();
    assertThat(first.domains()).allSatisfy(d -> assertThat(d.cpuUtilisation()).isZero());

    Thread.sleep(1000);
    Map<String, DomainSample> second = sampler.sampleNow().domainsByName();

    // The test driver's CPU time advances one second per wall-clock second per domain, so a
    // domain with n vCPUs shows 1/n; shut-off domains use nothing.
    assertThat(second.get("web01").cpuUtilisation()).isCloseTo(0.5, within(0.05));
    assertThat(second.get("db01").cpuUtilisation()).isCloseTo(0.25, within(0.03));
    assertThat(second.get("off01").cpuUtilisation()).isZero();
    assertThat(sampler.latest().cpuUtilisation()).isCloseTo(4.0 / 8, within(0.05));
  }

  @Test
  void domainDefinedThroughTheAgentsConnectionAppearsInTheNextSample() throws Exception {
    Hypervisor hypervisor = lab01();
    Sampler sampler = sampler(hypervisor, Clock.systemUTC());
    sampler.sampleNow();

    hypervisor.defineDomain(
        Fixtures.domainXml("new01", "bbbbbbbb-0000-4000-8000-000000000001", 256, 1));

    assertThat(sampler.sampleNow().domainsByName()).containsKey("new01");
    hypervisor.undefineDomain("new01");
    assertThat(sampler.sampleNow().domainsByName()).doesNotContainKey("new01");
  }

  @Test
  void lostConnectionServesTheLastSampleAsStaleAndReconnectsWithBackoff() throws Exception {
    MutableClock clock = new MutableClock(Instant.parse("2026-11-25T08:00:00Z"));
    FlakyHypervisor hypervisor = new FlakyHypervisor(lab01());
    Sampler sampler = sampler(hypervisor, clock);
    HostSample good = sampler.sampleNow();

    hypervisor.loseConnection();
    HostSample stale = sampler.sampleNow();

    assertThat(stale.stale()).isTrue();
    assertThat(stale.connected()).isFalse();
    assertThat(stale.domains()).isEqualTo(good.domains());
    assertThat(stale.epochMillis()).isEqualTo(good.epochMillis());
    assertThat(stale.errorsTotal()).isEqualTo(1);

    // Back-off 1 s, 2 s, 4 s, then capped at 8 s: attempts at +1, +3, +7, +15.
    List<Integer> attemptsAt = new ArrayList<>();
    for (int second = 1; second <= 16; second++) {
      clock.advance(Duration.ofSeconds(1));
      int before = hypervisor.reconnectAttempts.get();
      sampler.sampleNow();
      if (hypervisor.reconnectAttempts.get() > before) {
        attemptsAt.add(second);
      }
    }
    assertThat(attemptsAt).containsExactly(1, 3, 7, 15);
    assertThat(sampler.latest().stale()).isTrue();

    hypervisor.restoreConnection();
    clock.advance(Duration.ofSeconds(8));
    HostSample back = sampler.sampleNow();

    assertThat(back.stale()).isFalse();
    assertThat(back.connected()).isTrue();
    assertThat(back.epochMillis()).isEqualTo(clock.millis());
    assertThat(back.domains()).hasSize(5);
  }

  @Test
  void oneUnreadableDomainKeepsItsLastFiguresAndDoesNotHideTheOthers() throws Exception {
    MutableClock clock = new MutableClock(Instant.parse("2026-11-25T08:00:00Z"));
    FlakyHypervisor hypervisor = new FlakyHypervisor(lab01());
    Sampler sampler = sampler(hypervisor, clock);
    long firstRead = sampler.sampleNow().epochMillis();

    hypervisor.failDomain("db01");
    clock.advance(Duration.ofSeconds(5));
    HostSample sample = sampler.sampleNow();

    assertThat(sample.stale()).isFalse();
    assertThat(sample.errorsTotal()).isEqualTo(1);
    assertThat(sample.domains()).hasSize(5);
    assertThat(sample.domainsByName().get("db01").epochMillis()).isEqualTo(firstRead);
    assertThat(sample.domainsByName().get("web01").epochMillis()).isEqualTo(clock.millis());

    hypervisor.failDomain(null);
    clock.advance(Duration.ofSeconds(5));
    assertThat(sampler.sampleNow().domainsByName().get("db01").epochMillis())
        .isEqualTo(clock.millis());
  }

  @Test
  void listenersSeeEverySampleEvenAFailedOne() throws Exception {
    FlakyHypervisor hypervisor = new FlakyHypervisor(lab01());
    Sampler sampler = sampler(hypervisor, Clock.systemUTC());
    List<Boolean> staleFlags = new ArrayList<>();
    sampler.addListener(s -> staleFlags.add(s.stale()));

    sampler.sampleNow();
    hypervisor.loseConnection();
    sampler.sampleNow();

    assertThat(staleFlags).containsExactly(false, true);
  }
}
