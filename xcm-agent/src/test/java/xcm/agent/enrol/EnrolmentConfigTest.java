package xcm.agent.enrol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xcm.mbeans.config.ConfigException;
import xcm.mbeans.config.Settings;
import xcm.trust.Pem;
import xcm.trust.Subject;
import xcm.trust.ca.ClusterAuthority;

/** The {@code xcm.agent.enrol.*} keys: what they give, and each error naming its key. */
class EnrolmentConfigTest {
  private static final String TOKEN = "xcm-enrol-BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB";

  @TempDir Path temp;
  private ClusterAuthority authority;
  private Path caFile;
  private Path tokenFile;
  private final Map<String, String> values = new HashMap<>();

  @BeforeEach
  void clusterAuthority() throws Exception {
    authority = ClusterAuthority.builder().directory(temp.resolve("ca")).open();
    caFile = temp.resolve("ca/ca.crt");
    tokenFile = temp.resolve("token");
    Files.writeString(tokenFile, TOKEN + "\n", StandardCharsets.US_ASCII);
    Files.setPosixFilePermissions(tokenFile, PosixFilePermissions.fromString("rw-------"));
    values.put("xcm.agent.enrol.url", "https://coord:8790/enrol");
    values.put("xcm.agent.enrol.ca-file", caFile.toString());
    values.put("xcm.agent.enrol.key-dir", temp.resolve("agent/tls").toString());
  }

  private Optional<EnrolmentConfig> load() {
    Settings s = new Settings("xcm.agent.", values);
    Optional<EnrolmentConfig> config = EnrolmentConfig.load(s);
    s.requireAllUsed();
    return config;
  }

  @Test
  void everyKeyIsReadAndDefaultsFillTheRest() {
    values.put("xcm.agent.enrol.token-file", tokenFile.toString());

    EnrolmentConfig config = load().orElseThrow();

    assertThat(config.urls()).containsExactly(URI.create("https://coord:8790/enrol"));
    assertThat(config.caFile()).isEqualTo(caFile);
    assertThat(config.authority()).isEqualTo(authority.certificate());
    assertThat(config.token()).contains(TOKEN);
    assertThat(config.keyDir()).isEqualTo(temp.resolve("agent/tls"));
    assertThat(config.poll()).isEqualTo(Duration.ofSeconds(5));
    assertThat(config.retry()).isEqualTo(Duration.ofSeconds(1));
    assertThat(config.toString()).contains("token=***").doesNotContain(TOKEN);
  }

  @Test
  void withoutATokenTheHostWaitsForAnOperator() {
    values.put("xcm.agent.enrol.poll", "30s");

    EnrolmentConfig config = load().orElseThrow();

    assertThat(config.token()).isEmpty();
    assertThat(config.poll()).isEqualTo(Duration.ofSeconds(30));
    assertThat(config.toString()).contains("token=none");
  }

  @Test
  void withoutAUrlThereIsNoEnrolmentAndTheOtherKeysAreStillKnown() {
    values.remove("xcm.agent.enrol.url");
    values.put("xcm.agent.enrol.token-file", "/no/such/token");

    assertThat(load()).isEmpty();
  }

  @Test
  void aUrlThatIsNotHttpsIsRefused() {
    values.put("xcm.agent.enrol.url", "http://coord:8790/enrol");

    assertThatThrownBy(this::load)
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "xcm.agent.enrol.url: must be an https URL like https://coord:8790/enrol: the"
                + " certificate request and the token travel over TLS only, found:"
                + " \"http://coord:8790/enrol\"");
  }

  @Test
  void severalUrlsAreKeptInTheirOrder() {
    values.put(
        "xcm.agent.enrol.url",
        " https://c2:8790/enrol ,https://c1:8790/enrol,\thttps://[::1]:8790/enrol");

    EnrolmentConfig config = load().orElseThrow();

    assertThat(config.urls())
        .containsExactly(
            URI.create("https://c2:8790/enrol"),
            URI.create("https://c1:8790/enrol"),
            URI.create("https://[::1]:8790/enrol"));
    assertThat(config.toString())
        .startsWith(
            "EnrolmentConfig[urls=[https://c2:8790/enrol, https://c1:8790/enrol,"
                + " https://[::1]:8790/enrol], ");
  }

  @Test
  void anEntryThatIsNotHttpsIsRefusedNamingIt() {
    values.put("xcm.agent.enrol.url", "https://c1:8790/enrol, http://c2:8790/enrol");

    assertThatThrownBy(this::load)
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "xcm.agent.enrol.url: entry 2 of 2: must be an https URL like"
                + " https://coord:8790/enrol: the certificate request and the token travel over"
                + " TLS only, found: \"http://c2:8790/enrol\"");
  }

  @Test
  void anEntryThatIsNotAUrlIsRefusedNamingIt() {
    values.put("xcm.agent.enrol.url", "https://c1:8790/enrol,https://c 2/enrol");

    assertThatThrownBy(this::load)
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("xcm.agent.enrol.url: entry 2 of 2: not a URL: ")
        .hasMessageEndingWith(", found: \"https://c 2/enrol\"");
  }

  @Test
  void anEmptyEntryIsRefused() {
    values.put("xcm.agent.enrol.url", "https://c1:8790/enrol,,https://c2:8790/enrol");

    assertThatThrownBy(this::load)
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "xcm.agent.enrol.url: entry 2 of 3 is empty: give https URLs separated by single"
                + " commas, found: \"https://c1:8790/enrol,,https://c2:8790/enrol\"");
  }

  @Test
  void aTrailingCommaIsAnEmptyEntry() {
    values.put("xcm.agent.enrol.url", "https://c1:8790/enrol, ");

    assertThatThrownBy(this::load)
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("xcm.agent.enrol.url: entry 2 of 2 is empty: ");
  }

  @Test
  void aUrlGivenTwiceIsRefused() {
    values.put(
        "xcm.agent.enrol.url",
        "https://c1:8790/enrol, https://c2:8790/enrol, https://C1:8790/enrol");

    assertThatThrownBy(this::load)
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "xcm.agent.enrol.url: is given twice (entries 1 and 3): give each coordinator's door"
                + " once, found: \"https://C1:8790/enrol\"");
  }

  @Test
  void atMostSixteenUrlsAreTaken() {
    StringBuilder urls = new StringBuilder();
    for (int i = 1; i <= 17; i++) {
      urls.append(i > 1 ? "," : "").append("https://c").append(i).append(":8790/enrol");
    }
    values.put("xcm.agent.enrol.url", urls.toString());

    assertThatThrownBy(this::load)
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(
            "xcm.agent.enrol.url: names 17 URLs; give at most 16 (the coordinators sharing one"
                + " journal), found: \"https://c1:8790/enrol,");

    values.put("xcm.agent.enrol.url", urls.substring(0, urls.lastIndexOf(",")));
    assertThat(load().orElseThrow().urls()).hasSize(16);
  }

  @Test
  void aUrlWithUserInformationIsRefused() {
    values.put("xcm.agent.enrol.url", "https://me:secret@coord:8790/enrol");

    assertThatThrownBy(this::load)
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(
            "xcm.agent.enrol.url: must be https://host:port/path without user information, query"
                + " or fragment");
  }

  @Test
  void theCaFileIsRequiredWithTheUrl() {
    values.remove("xcm.agent.enrol.ca-file");

    assertThatThrownBy(this::load)
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "xcm.agent.enrol.ca-file: required with xcm.agent.enrol.url: the cluster authority's"
                + " certificate (the coordinator's <state-dir>/ca/ca.crt)");
  }

  @Test
  void aCaFileHoldingAHostsCertificateIsRefused() throws Exception {
    Path hostCrt = temp.resolve("host.crt");
    Files.writeString(
        hostCrt,
        Pem.certificates(
            List.of(authority.issueWithKey(Subject.coordinator("coord1")).certificate())));
    values.put("xcm.agent.enrol.ca-file", hostCrt.toString());

    assertThatThrownBy(this::load)
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "xcm.agent.enrol.ca-file: holds CN=coord1, which is not a certificate authority's"
                + " certificate (give the coordinator's ca/ca.crt, not its host.crt), found: \""
                + hostCrt
                + "\"");
  }

  @Test
  void aCaFileThatIsNotPemIsRefused() throws Exception {
    Path notPem = temp.resolve("ca.txt");
    Files.writeString(notPem, "hello");
    values.put("xcm.agent.enrol.ca-file", notPem.toString());

    assertThatThrownBy(this::load)
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("xcm.agent.enrol.ca-file: is not a PEM certificate: ");
  }

  @Test
  void aTokenFileOthersMayReadIsRefused() throws Exception {
    Files.setPosixFilePermissions(tokenFile, PosixFilePermissions.fromString("rw-r--r--"));
    values.put("xcm.agent.enrol.token-file", tokenFile.toString());

    assertThatThrownBy(this::load)
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("xcm.agent.enrol.token-file: " + tokenFile + " holds a secret")
        .hasMessageContaining("chmod 600 " + tokenFile)
        .hasMessageNotContaining(TOKEN);
  }

  @Test
  void theKeyDirectoryIsRequiredWithTheUrl() {
    values.remove("xcm.agent.enrol.key-dir");

    assertThatThrownBy(this::load)
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("xcm.agent.enrol.key-dir: required with xcm.agent.enrol.url: ");
  }

  @Test
  void pollingMoreOftenThanEverySecondIsRefused() {
    values.put("xcm.agent.enrol.poll", "200ms");

    assertThatThrownBy(this::load)
        .isInstanceOf(ConfigException.class)
        .hasMessage("xcm.agent.enrol.poll: must be at least 1s, found: \"200ms\"");
  }

  @Test
  void anUnknownEnrolKeyIsRefused() {
    values.put("xcm.agent.enrol.tokenfile", tokenFile.toString());

    assertThatThrownBy(this::load)
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("xcm.agent.enrol.tokenfile: unknown key");
  }
}
