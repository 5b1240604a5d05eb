package xcm.coordinator.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MembershipFileTest {

  @Test
  void membersSurviveARestartAndRemovedOnesDoNot(@TempDir Path dir) {
    Inventory inventory =
        new Inventory(new HostLifecycle(3, Duration.ofMinutes(1)), Clock.systemUTC());
    inventory.addListener(new MembershipFile(dir));
    inventory.join("http://a:1/jolokia/", HostLifecycleTest.data("a"));
    inventory.join("http://b:1/jolokia/", HostLifecycleTest.data("b"));
    inventory.remove("a");

    List<String> urls = new MembershipFile(dir).load();

    assertThat(urls).containsExactly("http://b:1/jolokia/");
  }

  @Test
  void onlyTheOwnerCanReadTheMembers(@TempDir Path dir) throws Exception {
    Inventory inventory =
        new Inventory(new HostLifecycle(3, Duration.ofMinutes(1)), Clock.systemUTC());
    inventory.addListener(new MembershipFile(dir));
    inventory.join("http://a:1/jolokia/", HostLifecycleTest.data("a"));
    inventory.join("http://b:1/jolokia/", HostLifecycleTest.data("b"));

    assertThat(
            PosixFilePermissions.toString(
                Files.getPosixFilePermissions(dir.resolve("members.properties"))))
        .isEqualTo("rw-------");
  }

  @Test
  void noFileMeansNoMembers(@TempDir Path dir) {
    assertThat(new MembershipFile(dir.resolve("missing")).load()).isEmpty();
  }
}
