package xcm.coordinator.collect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class AgentCredentialsTest {
  private static final String MASTER = "correct horse battery staple";

  @Test
  void derivedPasswordIsAStableKnownVector() {
    // printf 'xcm-agent-password/1 http://hv01.example.org:8778/jolokia/' \
    //   | openssl dgst -sha256 -hmac 'correct horse battery staple' -binary \
    //   | basenc --base64url | tr -d =
    assertThat(AgentCredentials.derive(MASTER, "http://hv01.example.org:8778/jolokia/"))
        .isEqualTo("Xcx3FznWPVRihHMgiZ1ecBtRncTscVt5T8_223TdUQg");
    assertThat(AgentCredentials.derive(MASTER, "http://127.0.0.1:8781/jolokia/"))
        .isEqualTo("L6xELKHx9kc7uReE1AuzgG3i2g1cxwOq22pbmpBf6OM");
  }

  @Test
  void spellingsOfOneUrlShareAPasswordAsTheCoordinatorNormalisesThem() {
    String expected = AgentCredentials.derive(MASTER, "http://hv01.example.org:8778/jolokia/");
    for (String spelling :
        new String[] {
          "http://hv01.example.org:8778/jolokia",
          " HTTP://HV01.Example.org:8778/jolokia/ ",
          "http://hv01.example.org:8778/jolokia/\n"
        }) {
      assertThat(AgentCredentials.derive(MASTER, spelling)).as(spelling).isEqualTo(expected);
    }
    assertThat(AgentCredentials.identity("http://hv01/jolokia"))
        .isEqualTo("http://hv01:80/jolokia/");
    assertThat(AgentCredentials.identity("https://hv01/jolokia/"))
        .isEqualTo("https://hv01:443/jolokia/");
    assertThat(AgentCredentials.derive(MASTER, "http://hv01/jolokia"))
        .isEqualTo(AgentCredentials.derive(MASTER, "http://hv01:80/jolokia/"));
    assertThat(AgentCredentials.identity("http://hv01:8778")).isEqualTo("http://hv01:8778/");
  }

  @Test
  void otherAgentsMastersAndSchemesGetOtherPasswords() {
    String hv01 = AgentCredentials.derive(MASTER, "http://hv01:8778/jolokia/");
    assertThat(AgentCredentials.derive(MASTER, "http://hv02:8778/jolokia/")).isNotEqualTo(hv01);
    assertThat(AgentCredentials.derive(MASTER, "http://hv01:8779/jolokia/")).isNotEqualTo(hv01);
    assertThat(AgentCredentials.derive(MASTER, "https://hv01:8778/jolokia/")).isNotEqualTo(hv01);
    assertThat(AgentCredentials.derive(MASTER, "http://hv01:8778/other/")).isNotEqualTo(hv01);
    assertThat(AgentCredentials.derive(MASTER + "x", "http://hv01:8778/jolokia/"))
        .isNotEqualTo(hv01);
    assertThat(hv01).matches("[A-Za-z0-9_-]{43}");
  }

  @Test
  void urlsThatAreNoAgentsAreRefusedNamingTheUrl() {
    assertThatThrownBy(() -> AgentCredentials.derive(MASTER, "hv01:8778"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("'hv01:8778' is not an agent's Jolokia URL: not an http or https URL");
    assertThatThrownBy(() -> AgentCredentials.derive(MASTER, "http:///jolokia/"))
        .hasMessage("'http:///jolokia/' is not an agent's Jolokia URL: it names no host");
    assertThatThrownBy(() -> AgentCredentials.derive(MASTER, "http://hv 01/"))
        .hasMessageStartingWith("'http://hv 01/' is not an agent's Jolokia URL: not a URL: ");
    assertThatThrownBy(() -> AgentCredentials.derive(MASTER, "http://hv01/jolokia/?x=1"))
        .hasMessage(
            "'http://hv01/jolokia/?x=1' is not an agent's Jolokia URL: an agent URL has no query"
                + " or fragment");
    assertThatThrownBy(() -> AgentCredentials.derive(MASTER, "http://xcm:s3cret@hv01/jolokia/"))
        .hasMessageNotContaining("s3cret")
        .hasMessage(
            "'http://***@hv01/jolokia/' is not an agent's Jolokia URL: an agent's Jolokia URL"
                + " carries no user or password (credentials come from the configuration)");
  }

  @Test
  void sharedCredentialsGiveEveryAgentTheOnePassword() {
    AgentCredentials shared = AgentCredentials.shared("xcm", "pw");
    assertThat(shared.password("http://hv01:8778/jolokia/")).isEqualTo("pw");
    assertThat(shared.password("not even a URL")).isEqualTo("pw");
    assertThat(shared.authorization("http://hv02/"))
        .isEqualTo("Basic " + base64("xcm:pw"))
        .isEqualTo(shared.authorization("http://hv01/"));
    assertThat(shared).hasToString("AgentCredentials[user=xcm, password=***]");
  }

  @Test
  void derivedCredentialsGiveEachAgentItsOwnAndShowNoSecret() {
    AgentCredentials derived = AgentCredentials.derived("xcm", MASTER);
    assertThat(derived.password("http://hv01.example.org:8778/jolokia/"))
        .isEqualTo("Xcx3FznWPVRihHMgiZ1ecBtRncTscVt5T8_223TdUQg");
    assertThat(derived.authorization("http://hv01.example.org:8778/jolokia/"))
        .isEqualTo("Basic " + base64("xcm:Xcx3FznWPVRihHMgiZ1ecBtRncTscVt5T8_223TdUQg"));
    assertThat(derived.toString()).doesNotContain(MASTER).contains("derived");
    assertThatThrownBy(() -> derived.authorization("ftp://hv01/"))
        .hasMessage("'ftp://hv01/' is not an agent's Jolokia URL: not an http or https URL");
  }

  private static String base64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }
}
