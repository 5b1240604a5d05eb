package xcm.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import javax.management.MBeanServerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xcm.serve.StartException;

/** The state directory and its files, on a real file system with real modes. */
class StateDirectoryTest {
  @TempDir Path dir;

  private static String mode(Path path) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
  }

  private Map<String, String> keys(Path stateDir) {
    Map<String, String> values = new HashMap<>();
    values.put("xcm.coordinator.enrol.port", "0");
    values.put("xcm.coordinator.jolokia.password", "coordinator");
    values.put("xcm.coordinator.jolokia.port", "0");
    values.put("xcm.coordinator.metrics.port", "0");
    values.put("xcm.coordinator.nightly-balance.cron", "");
    values.put("xcm.coordinator.state-dir", stateDir.toString());
    return values;
  }

  @Test
  void aCoordinatorMakesItsStateDirectoryAndJournalItsOwnersOnly() throws Exception {
    Path state = dir.resolve("var/state");

    Coordinator coordinator =
        Coordinator.start(
            CoordinatorConfig.load(keys(state)),
            MBeanServerFactory.newMBeanServer(),
            new PrometheusRegistry(),
            Clock.systemUTC());
    try {
      assertThat(mode(state)).isEqualTo("rwx------");
      assertThat(mode(state.resolve("journal.mv.db"))).isEqualTo("rw-------");
    } finally {
      coordinator.close();
    }
  }

  @Test
  void aStateDirectoryOthersCanEnterStopsTheStartNamingItAndItsMode() throws Exception {
    Path state = Files.createDirectory(dir.resolve("state"));
    Files.setPosixFilePermissions(state, PosixFilePermissions.fromString("rwxr-xr-x"));

    assertThatThrownBy(
            () ->
                Coordinator.start(
                    CoordinatorConfig.load(keys(state)),
                    MBeanServerFactory.newMBeanServer(),
                    new PrometheusRegistry(),
                    Clock.systemUTC()))
        .isInstanceOf(StartException.class)
        .hasMessage(
            "the state directory "
                + state.toAbsolutePath()
                + " has mode 0755 (rwxr-xr-x): group or others could read the journal (every"
                + " request's audit entry) and the members; make it its owner's only (chmod 700 "
                + state.toAbsolutePath()
                + "), or give another --state-dir");
    assertThat(mode(state)).isEqualTo("rwxr-xr-x");
    try (var files = Files.list(state)) {
      assertThat(files).isEmpty();
    }
  }

  @Test
  void filesAnEarlierVersionWroteWiderAreMadeTheOwnersOnly() throws Exception {
    Path state = Files.createDirectory(dir.resolve("state"));
    Files.setPosixFilePermissions(state, PosixFilePermissions.fromString("rwx------"));
    Path members =
        Files.writeString(state.resolve("members.properties"), "a=http://a:1/jolokia/\n");
    Files.setPosixFilePermissions(members, PosixFilePermissions.fromString("rw-r--r--"));

    StateDirectory.tightenFiles(state);

    assertThat(mode(members)).isEqualTo("rw-------");
  }

  @Test
  void aStateDirectoryThatIsAFileStopsTheStart() throws Exception {
    Path file = Files.writeString(dir.resolve("file"), "");

    assertThatThrownBy(() -> StateDirectory.prepare(file))
        .isInstanceOf(StartException.class)
        .hasMessage("the state directory " + file + " is not a directory");
  }
}
