package xcm.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xcm.mbeans.config.ConfigException;
import xcm.mbeans.config.Settings;

/** The {@code jmx.*} keys: an access file XCM cannot place its users with stops start-up. */
class JmxRemoteConfigTest {
  @TempDir Path dir;

  private Settings settings(String access) throws Exception {
    Path passwords = Files.writeString(dir.resolve("jmx.password"), "ops s3cret\n");
    // A password file others may read stops the start before its roles are looked at.
    Files.setPosixFilePermissions(passwords, PosixFilePermissions.fromString("rw-------"));
    Path accessFile = Files.writeString(dir.resolve("jmx.access"), access);
    return new Settings(
        "xcm.agent.",
        Map.of(
            "xcm.agent.jmx.port", "9999",
            "xcm.agent.jmx.password-file", passwords.toString(),
            "xcm.agent.jmx.access-file", accessFile.toString()));
  }

  @Test
  void everyUserWithReadonlyOrReadwriteLoads() throws Exception {
    assertThat(JmxRemoteConfig.load(settings("ops readwrite\n")).orElseThrow().port())
        .isEqualTo(9999);
  }

  @Test
  void anAccessFileGrantingCreationRefusesStartNamingTheKey() throws Exception {
    Settings settings = settings("ops readwrite create javax.management.timer.*\n");
    assertThatThrownBy(() -> JmxRemoteConfig.load(settings))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("xcm.agent.jmx.access-file: " + dir.resolve("jmx.access"))
        .hasMessageContaining("no JMX role may create or unregister MBeans");
  }

  @Test
  void aPasswordFileUserWithoutARoleRefusesStartNamingTheKey() throws Exception {
    Settings settings = settings("grafana readonly\n");
    assertThatThrownBy(() -> JmxRemoteConfig.load(settings))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "xcm.agent.jmx.access-file: "
                + dir.resolve("jmx.password")
                + ": user ops has no role in "
                + dir.resolve("jmx.access"));
  }
}
