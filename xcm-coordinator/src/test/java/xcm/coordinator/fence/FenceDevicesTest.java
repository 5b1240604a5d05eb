package xcm.coordinator.fence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import xcm.coordinator.CoordinatorConfig;
import xcm.mbeans.config.ConfigException;

class FenceDevicesTest {
  @TempDir Path dir;

  private Path secret(String name, String text, String mode) throws Exception {
    Path file = dir.resolve(name);
    Files.writeString(file, text);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
    return file;
  }

  private Path devices(String text) throws Exception {
    Path file = dir.resolve("fence-devices.properties");
    Files.writeString(file, text);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    return file;
  }

  @Test
  void loadsEachHostsAgentOptionsAndTimeoutInTheirOrder() throws Exception {
    Path bmc = secret("dmz01-bmc", "s3cret\n", "rw-------");
    Path file =
        devices(
            "# one block per host\n"
                + "dmz01.agent = true\n"
                + "dmz01.ip = 10.0.0.101\n"
                + "dmz01.username = admin\n"
                + "dmz01.password-file = "
                + bmc
                + "\n"
                + "dmz01.lanplus = 1\n"
                + "  dmz01.cipher=3  \r\n"
                + "dmz01.timeout = 90s\n"
                + "\n"
                + "! another comment\n"
                + "hv2.example.org.agent = /bin/sh\n"
                + "hv2.example.org.pidfile = /run/xcm/hv2.pid\n"
                + "hv2.example.org.start = a=b; echo \"x\" \\n y\n");

    FenceDevices devices = FenceDevices.load(file);

    assertThat(devices.hosts()).containsExactly("dmz01", "hv2.example.org");
    FenceDevice dmz01 = devices.device("dmz01").orElseThrow();
    assertThat(dmz01.program()).isEqualTo(FenceDevice.resolveProgram("true"));
    assertThat(dmz01.options())
        .containsExactly(
            Map.entry("ip", "10.0.0.101"),
            Map.entry("username", "admin"),
            Map.entry("lanplus", "1"),
            Map.entry("cipher", "3"));
    assertThat(dmz01.fileOptions()).containsExactly(Map.entry("password", bmc));
    assertThat(dmz01.timeout()).isEqualTo(Duration.ofSeconds(90));
    FenceDevice hv2 = devices.device("hv2.example.org").orElseThrow();
    assertThat(hv2.program()).isEqualTo(Path.of("/bin/sh"));
    assertThat(hv2.options().get("start")).isEqualTo("a=b; echo \"x\" \\n y");
    assertThat(hv2.timeout()).isEqualTo(FenceDevice.DEFAULT_TIMEOUT);
    assertThat(devices).hasToString("[dmz01=true, hv2.example.org=sh]");
  }

  static Stream<Arguments> badLines() {
    return Stream.of(
        Arguments.of("dmz01.ip 10.0.0.1", "dmz01.ip 10.0.0.1: expected HOST.OPTION = VALUE"),
        Arguments.of("dmz01.ip: 10.0.0.1", "dmz01.ip: 10.0.0.1: expected HOST.OPTION = VALUE"),
        Arguments.of("agent = true", "agent: expected HOST.OPTION = VALUE"),
        Arguments.of("dmz01. = true", "dmz01.: expected HOST.OPTION = VALUE"),
        Arguments.of(
            "-dmz01.ip = 1",
            "-dmz01.ip: not a valid host name: use letters, digits and '-' in dot-separated labels"
                + " of 1 to 63 characters, not starting or ending with '-'"),
        Arguments.of("dmz01.IP = 1", "dmz01.IP: option names are 1 to 64 of a-z, 0-9 and _"),
        Arguments.of(
            "dmz01.ip-addr = 1", "dmz01.ip-addr: option names are 1 to 64 of a-z, 0-9 and _"),
        Arguments.of(
            "dmz01." + "a".repeat(65) + " = 1",
            "dmz01." + "a".repeat(65) + ": option names are 1 to 64 of a-z, 0-9 and _"),
        Arguments.of(
            "dmz01.action = off",
            "dmz01.action: 'action' is sent by XCM itself and cannot be configured"),
        Arguments.of(
            "dmz01.option = off",
            "dmz01.option: 'option' is sent by XCM itself and cannot be configured"),
        Arguments.of("dmz01.ip =", "dmz01.ip: has no value"),
        Arguments.of(
            "dmz01.ip = 10.0.0.1\u0007",
            "dmz01.ip: value holds a control character (U+0007 at character 9): each option is"
                + " sent to the agent as one line, so no value may hold one"),
        Arguments.of(
            "dmz01.ip = 10.0\r0.1",
            "dmz01.ip: value holds a control character (U+000D at character 5): each option is"
                + " sent to the agent as one line, so no value may hold one"),
        Arguments.of(
            "dmz01.ip = 10\u2028action=on",
            "dmz01.ip: value holds a control character (U+2028 at character 3): each option is"
                + " sent to the agent as one line, so no value may hold one"),
        Arguments.of(
            "dmz01.ip\u0000 = 1", "dmz01.ip\\u0000: option names are 1 to 64 of a-z, 0-9 and _"),
        Arguments.of(
            "dmz01.timeout = sixty", "dmz01.timeout: must be a duration like 60s, 500ms or 2m"),
        Arguments.of("dmz01.timeout = 0s", "dmz01.timeout: must be more than 0"),
        Arguments.of(
            "dmz01.password-file = secrets/bmc", "dmz01.password-file: must be an absolute path"));
  }

  @ParameterizedTest
  @MethodSource("badLines")
  void aBadLineIsRefusedNamingFileLineKeyAndReason(String line, String error) throws Exception {
    Path file = devices("dmz01.agent = true\n" + line + "\n");

    assertThatThrownBy(() -> FenceDevices.load(file))
        .isInstanceOf(ConfigException.class)
        .hasMessage(file + ":2: " + error);
  }

  @Test
  void aKeyGivenTwiceIsRefusedNamingBothLines() throws Exception {
    Path file = devices("dmz01.agent = true\ndmz01.ip = 10.0.0.1\n#\ndmz01.ip = 10.0.0.2\n");

    assertThatThrownBy(() -> FenceDevices.load(file))
        .hasMessage(file + ":4: dmz01.ip: given again (first on line 2)");
  }

  @Test
  void anOptionGivenInlineAndFromAFileIsRefused() throws Exception {
    Path bmc = secret("bmc", "s3cret", "rw-------");
    Path file =
        devices("dmz01.agent = true\ndmz01.password-file = " + bmc + "\ndmz01.password = s3cret\n");

    assertThatThrownBy(() -> FenceDevices.load(file))
        .hasMessage(
            file + ":3: dmz01.password: option password is given both inline and from a file");
  }

  @Test
  void aHostWithoutAnAgentIsRefusedAtItsFirstLine() throws Exception {
    Path file = devices("dmz01.agent = true\n\ndmz02.ip = 10.0.0.2\ndmz02.username = admin\n");

    assertThatThrownBy(() -> FenceDevices.load(file))
        .hasMessage(
            file
                + ":3: dmz02: no dmz02.agent line: which fence agent (fence_ipmilan, ...) fences"
                + " this host");
  }

  @Test
  void anAgentThatIsNotInstalledOrNotAbsoluteIsRefused() throws Exception {
    Path missing = devices("dmz01.ip = 1\ndmz01.agent = fence_xcm_no_such_agent\n");
    assertThatThrownBy(() -> FenceDevices.load(missing))
        .hasMessage(
            missing
                + ":2: dmz01.agent: program fence_xcm_no_such_agent not found in"
                + " /usr/sbin:/usr/bin:/sbin:/bin (is its package installed?)");

    Path relative = devices("dmz01.agent = lab/fence_xcm_demo\n");
    assertThatThrownBy(() -> FenceDevices.load(relative))
        .hasMessage(
            relative
                + ":1: dmz01.agent: program lab/fence_xcm_demo must be an absolute path or a bare"
                + " name looked for in /usr/sbin:/usr/bin:/sbin:/bin");

    Path notExecutable = devices("dmz01.agent = " + relative + "\n");
    assertThatThrownBy(() -> FenceDevices.load(notExecutable))
        .hasMessage(notExecutable + ":1: dmz01.agent: " + relative + " is not an executable file");
  }

  @Test
  void moreThan64OptionsForAHostAreRefused() throws Exception {
    StringBuilder text = new StringBuilder("dmz01.agent = true\n");
    for (int i = 1; i <= 65; i++) {
      text.append("dmz01.o").append(i).append(" = ").append(i).append('\n');
    }
    Path file = devices(text.toString());

    assertThatThrownBy(() -> FenceDevices.load(file))
        .hasMessage(file + ":66: dmz01.o65: more than 64 options for one host");
  }

  @Test
  void aFileOver64KiBIsRefusedUnread() throws Exception {
    Path file = devices("# " + "x".repeat(64 * 1024) + "\n");

    assertThatThrownBy(() -> FenceDevices.load(file))
        .hasMessage(file + ": fence devices: larger than 64 KiB");
  }

  @Test
  void aMissingFileIsRefused() {
    Path file = dir.resolve("missing.properties");

    assertThatThrownBy(() -> FenceDevices.load(file))
        .hasMessage(file + ": fence devices: no such file");
  }

  @Test
  void aSecretFileThatGroupOrOthersMayReadIsRefused() throws Exception {
    Path bmc = secret("bmc", "s3cret\n", "rw-r-----");
    Path file = devices("dmz01.agent = true\ndmz01.password-file = " + bmc + "\n");

    assertThatThrownBy(() -> FenceDevices.load(file))
        .hasMessage(
            file
                + ":2: dmz01.password-file: option password file "
                + bmc
                + ": holds a secret but has mode 0640 (rw-r-----), which lets group or others read"
                + " or write it; make it its owner's only (chmod 600 "
                + bmc
                + ")");
  }

  @Test
  void aSecretFileHoldingASecondLineIsRefusedWithoutShowingIt() throws Exception {
    Path bmc = secret("bmc", "s3cret\naction=on\n", "rw-------");
    Path file = devices("dmz01.agent = true\ndmz01.password-file = " + bmc + "\n");

    assertThatThrownBy(() -> FenceDevices.load(file))
        .hasMessage(
            file
                + ":2: dmz01.password-file: option password file "
                + bmc
                + ": value holds a control character (U+000A at character 7): each option is sent"
                + " to the agent as one line, so no value may hold one")
        .hasMessageNotContaining("s3cret");
  }

  @Test
  void aPasswordWrittenInlineNeedsTheFileToBeItsOwnersOnly() throws Exception {
    Path file = devices("dmz01.agent = true\ndmz01.ip = 1\ndmz01.passwd = s3cret\n");

    assertThatThrownBy(() -> FenceDevices.load(file))
        .hasMessage(
            file
                + ":3: dmz01.passwd: a password written into "
                + file
                + " needs the file to be its owner's only, but it has mode 0644 (rw-r--r--); chmod"
                + " 600 it, or better put the password in a file of its own (dmz01.passwd-file ="
                + " /etc/xcm/secrets/...)")
        .hasMessageNotContaining("s3cret");

    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    FenceDevice dmz01 = FenceDevices.load(file).device("dmz01").orElseThrow();
    assertThat(dmz01.isSecret("passwd")).isTrue();
    assertThat(dmz01.toString()).contains("passwd=***").doesNotContain("s3cret");
  }

  @Test
  void aDeviceBuiltInCodeRefusesLineBreaksInValuesToo() {
    FenceDevice.Builder builder =
        FenceDevice.builder("dmz01", "/bin/true").option("ip", "10.0.0.1\naction=on");

    assertThatThrownBy(builder::build)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "fence device of dmz01: option \"ip\": value holds a control character (U+000A at"
                + " character 9): each option is sent to the agent as one line, so no value may"
                + " hold one");
  }

  @Test
  void theCoordinatorRefusesToStartWithABadFenceDevicesFile() throws Exception {
    Path file = devices("dmz01.agent = true\ndmz01.ip = 1\u001b[2J\n");
    Map<String, String> values = new LinkedHashMap<>();
    values.put("xcm.coordinator.jolokia.password", "coordinator");
    values.put("xcm.coordinator.state-dir", dir.resolve("state").toString());
    values.put("xcm.coordinator.fence-devices", file.toString());

    assertThatThrownBy(() -> CoordinatorConfig.load(values))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(file + ":2: dmz01.ip: value holds a control character (U+001B");

    Files.writeString(file, "dmz01.agent = true\ndmz01.ip = 10.0.0.1\n");
    assertThat(CoordinatorConfig.load(values).fenceDevices().hosts()).containsExactly("dmz01");
  }
}
