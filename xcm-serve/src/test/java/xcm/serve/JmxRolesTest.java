package xcm.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xcm.serve.JmxRoles.JmxRole;

/** The JDK's access file, read as roles XCM can place, and what it cannot. */
class JmxRolesTest {
  @TempDir Path dir;

  private Path file(String name, String content) throws Exception {
    return Files.writeString(dir.resolve(name), content);
  }

  @Test
  void readonlyIsTheMonitorAndReadwriteTheOperator() throws Exception {
    JmxRoles roles =
        JmxRoles.read(
            file("jmx.password", "ops s3cret\ngrafana=g\n"),
            file("jmx.access", "# people\nops   readwrite\ngrafana readonly\nunused readonly\n"));

    assertThat(roles.all())
        .isEqualTo(
            Map.of(
                "ops", JmxRole.READWRITE, "grafana", JmxRole.READONLY, "unused", JmxRole.READONLY));
    assertThat(roles.of("ops").orElseThrow().jolokiaRole()).isEqualTo(JolokiaAccess.Role.OPERATOR);
    assertThat(roles.of("grafana").orElseThrow().jolokiaRole())
        .isEqualTo(JolokiaAccess.Role.MONITOR);
    assertThat(roles.of("nobody")).isEmpty();
  }

  @Test
  void aLevelOtherThanReadonlyOrReadwriteIsRefused() throws Exception {
    Path access = file("jmx.access", "ops admin\n");
    assertThatThrownBy(() -> JmxRoles.read(file("jmx.password", "ops s\n"), access))
        .isInstanceOf(JmxRoles.InvalidException.class)
        .hasMessage(access + ": user ops has the level \"admin\": must be readonly or readwrite");
  }

  @Test
  void createAndUnregisterClausesAreRefusedSinceNoRoleMayDoEither() throws Exception {
    Path access = file("jmx.access", "ops readwrite create javax.management.timer.* unregister\n");
    assertThatThrownBy(() -> JmxRoles.read(file("jmx.password", "ops s\n"), access))
        .isInstanceOf(JmxRoles.InvalidException.class)
        .hasMessage(
            access
                + ": user ops: \"create javax.management.timer.* unregister\" refused: no JMX role"
                + " may create or unregister MBeans, give the level alone");
  }

  @Test
  void aUserThePasswordFileAuthenticatesNeedsARole() throws Exception {
    Path passwords = file("jmx.password", "ops s\nstray t\n");
    Path access = file("jmx.access", "ops readwrite\n");
    assertThatThrownBy(() -> JmxRoles.read(passwords, access))
        .isInstanceOf(JmxRoles.InvalidException.class)
        .hasMessage(passwords + ": user stray has no role in " + access);
  }
}
