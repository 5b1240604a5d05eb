package xcm.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xcm.agent.migration.MigrationConfig;
import xcm.mbeans.config.ConfigException;
import xcm.trust.ca.ClusterAuthority;

class AgentConfigTest {

  private static Map<String, String> minimal() {
    Map<String, String> values = new HashMap<>();
    values.put("xcm.agent.libvirt-uri", "test:///etc/xcm/dmz01.xml");
    values.put("xcm.agent.jolokia.password", "pw");
    return values;
  }

  @Test
  void defaultsFillEverythingButTheUriAndThePassword() {
    AgentConfig config = AgentConfig.load(minimal());

    assertThat(config.sampleInterval()).isEqualTo(Duration.ofSeconds(5));
    assertThat(config.jolokia().address()).isEqualTo("127.0.0.1");
    assertThat(config.jolokia().port()).isEqualTo(8778);
    assertThat(config.jolokia().user()).isEqualTo("xcm");
    assertThat(config.metrics().port()).isEqualTo(9278);
    assertThat(config.jmx()).isEmpty();
    assertThat(config.name()).isNull();
  }

  @Test
  void theNewestEpochIsKeptInTheKeyDirectoryOfAnAgentThatEnrolsAndInMemoryOtherwise(
      @TempDir Path dir) throws Exception {
    assertThat(AgentConfig.load(minimal()).epochFile()).isEmpty();

    Map<String, String> enrols = minimal();
    ClusterAuthority.builder().directory(dir.resolve("ca")).open();
    enrols.put("xcm.agent.enrol.url", "https://coord:8790/enrol");
    enrols.put("xcm.agent.enrol.ca-file", dir.resolve("ca/ca.crt").toString());
    enrols.put("xcm.agent.enrol.key-dir", dir.resolve("tls").toString());
    assertThat(AgentConfig.load(enrols).epochFile()).contains(dir.resolve("tls/epoch"));

    enrols.put("xcm.agent.epoch-file", dir.resolve("state/epoch").toString());
    assertThat(AgentConfig.load(enrols).epochFile()).contains(dir.resolve("state/epoch"));
  }

  @Test
  void anEpochFileThatIsADirectoryIsNamed(@TempDir Path dir) {
    Map<String, String> values = minimal();
    values.put("xcm.agent.epoch-file", dir.toString());

    assertThatThrownBy(() -> AgentConfig.load(values))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "xcm.agent.epoch-file: is a directory; name the file that keeps the newest coordinator"
                + " epoch, found: \""
                + dir
                + "\"");
  }

  @Test
  void liveMigrationsDefaultToTheLibvirtUriAndLoopbackWhenItNamesNoHost() {
    Map<String, String> values = minimal();
    values.put("xcm.agent.libvirt-uri", "qemu+unix:///system?socket=/lab/host1/run/libvirt-sock");

    MigrationConfig migration = AgentConfig.load(values).migration();

    assertThat(migration.uri()).isEqualTo("qemu+unix:///system?socket=/lab/host1/run/libvirt-sock");
    assertThat(migration.address()).isEqualTo("tcp://127.0.0.1");
    assertThat(migration.timeout()).isEqualTo(Duration.ofMinutes(5));
    assertThat(migration.bandwidthMiBps()).isZero();
  }

  @Test
  void aRemoteMigrationUriLeavesTheAddressToLibvirt() {
    Map<String, String> values = minimal();
    values.put("xcm.agent.libvirt-uri", "qemu:///system");
    values.put("xcm.agent.migration.uri", "qemu+tls://10.0.0.6/system");
    values.put("xcm.agent.migration.timeout", "90s");
    values.put("xcm.agent.migration.bandwidth", "100");

    MigrationConfig migration = AgentConfig.load(values).migration();

    assertThat(migration)
        .isEqualTo(
            new MigrationConfig("qemu+tls://10.0.0.6/system", "", Duration.ofSeconds(90), 100));
  }

  @Test
  void migrationAddressThatIsNoUriIsNamed() {
    Map<String, String> values = minimal();
    values.put("xcm.agent.migration.address", "10.0.0.6");

    assertThatThrownBy(() -> AgentConfig.load(values))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "xcm.agent.migration.address: must be a URI like tcp://10.0.0.6, found: \"10.0.0.6\"");
  }

  @Test
  void missingUriIsNamed() {
    Map<String, String> values = minimal();
    values.remove("xcm.agent.libvirt-uri");

    assertThatThrownBy(() -> AgentConfig.load(values))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "xcm.agent.libvirt-uri: required; the libvirt URI to sample, e.g."
                + " test:///abs/node.xml");
  }

  @Test
  void jolokiaNeverRunsWithoutAPassword() {
    Map<String, String> values = minimal();
    values.remove("xcm.agent.jolokia.password");

    assertThatThrownBy(() -> AgentConfig.load(values))
        .hasMessage(
            "xcm.agent.jolokia.password: required (or xcm.agent.jolokia.password-file): Jolokia"
                + " never runs without authentication");
  }

  @Test
  void passwordComesFromAFile(@TempDir Path dir) throws Exception {
    Map<String, String> values = minimal();
    values.remove("xcm.agent.jolokia.password");
    values.put(
        "xcm.agent.jolokia.password-file", secret(dir.resolve("pw"), "from-file\n").toString());

    assertThat(AgentConfig.load(values).jolokia().password()).isEqualTo("from-file");
  }

  @Test
  void peerPasswordsAreNoLongerKnownKeys() {
    // Agents reach each other with their cluster certificates: no password is shared by all hosts.
    for (String key : new String[] {"xcm.agent.jolokia.peer.password", "xcm.agent.peer.password"}) {
      Map<String, String> values = minimal();
      values.put(key, "peer-secret");

      assertThatThrownBy(() -> AgentConfig.load(values))
          .isInstanceOf(ConfigException.class)
          .hasMessageStartingWith(key + ": unknown key");
    }
  }

  @Test
  void labelsAreReadAndABadOneIsNamedWithTheReason() {
    Map<String, String> values = minimal();
    values.put("xcm.agent.labels", "rack=r1, ssd=true");

    assertThat(AgentConfig.load(values).labels()).hasToString("rack=r1,ssd=true");
    assertThat(AgentConfig.load(minimal()).labels().asMap()).isEmpty();

    values.put("xcm.agent.labels", "rack=r1,Zone=a");
    assertThatThrownBy(() -> AgentConfig.load(values))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "xcm.agent.labels: label key 'Zone' must be lower-case letters, digits and _, starting"
                + " with a letter, at most 63, found: \"rack=r1,Zone=a\"");
  }

  @Test
  void badIntervalNamesKeyAndValue() {
    Map<String, String> values = minimal();
    values.put("xcm.agent.sample-interval", "five");

    assertThatThrownBy(() -> AgentConfig.load(values))
        .hasMessage(
            "xcm.agent.sample-interval: must be a duration like 5s, 500ms, 2m or 1h, found:"
                + " \"five\"");
  }

  @Test
  void misspelledKeyFailsInsteadOfFallingBackToADefault() {
    Map<String, String> values = minimal();
    values.put("xcm.agent.jolokia.prot", "9999");

    assertThatThrownBy(() -> AgentConfig.load(values))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("xcm.agent.jolokia.prot: unknown key; known keys are ");
  }

  @Test
  void remoteJmxNeedsItsPasswordAndAccessFiles() {
    Map<String, String> values = minimal();
    values.put("xcm.agent.jmx.port", "9999");

    assertThatThrownBy(() -> AgentConfig.load(values))
        .hasMessage(
            "xcm.agent.jmx.password-file: required when xcm.agent.jmx.port is set (the remote"
                + " connector never runs without authentication)");
  }

  @Test
  void hostNameIsDerivedFromATestNodeFileOnly() {
    assertThat(AgentConfig.nameFromTestUri("test:///etc/xcm/dmz01.xml")).contains("dmz01");
    assertThat(AgentConfig.nameFromTestUri("test:///default")).isEmpty();
    assertThat(AgentConfig.nameFromTestUri("qemu:///system")).isEmpty();
  }

  /** A secret file as the agent takes it: its owner's only. */
  private static Path secret(Path file, String content) throws java.io.IOException {
    Files.writeString(file, content);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    return file;
  }
}
