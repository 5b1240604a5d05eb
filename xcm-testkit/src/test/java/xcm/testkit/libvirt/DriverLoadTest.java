package xcm.testkit.libvirt;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xcm.agent.libvirt.DomainReading;
import xcm.agent.libvirt.DomainStats;
import xcm.mbeans.DomainState;

class DriverLoadTest {
  @TempDir Path dir;

  private static DomainStats running(String name, int vcpus, long cpuTime) {
    return new DomainStats(
        name,
        "uuid-" + name,
        DomainState.RUNNING,
        1,
        true,
        1 << 30,
        1 << 30,
        vcpus,
        cpuTime,
        0,
        0,
        0,
        0,
        0,
        0,
        0,
        0,
        "",
        "",
        false);
  }

  @Test
  void aLoadedDomainsCpuTimeGrowsAtItsFractionOfItsVcpus() throws Exception {
    AtomicLong now = new AtomicLong(1_000);
    Path state = dir.resolve("dmz01.state.xml");
    DriverLoad load = new DriverLoad(DriverLoad.beside(state), now::get);
    List<DomainReading> readings = List.of(running("web", 2, 77), running("db", 4, 88));

    assertThat(load.apply(readings)).as("no file: the driver's time").isEqualTo(readings);

    Files.writeString(DriverLoad.beside(state), "web=0.5\n*=0.25\n");
    load.apply(readings);
    now.addAndGet(10_000_000_000L);
    List<DomainReading> later = load.apply(readings);

    assertThat(((DomainStats) later.get(0)).cpuTimeNanos()).isEqualTo(10_000_000_000L);
    assertThat(((DomainStats) later.get(1)).cpuTimeNanos()).isEqualTo(10_000_000_000L);
    assertThat(((DomainStats) later.get(0)).name()).isEqualTo("web");
  }
}
