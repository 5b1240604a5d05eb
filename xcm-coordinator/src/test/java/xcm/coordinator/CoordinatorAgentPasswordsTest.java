package xcm.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import xcm.coordinator.collect.AgentCredentials;
import xcm.mbeans.config.ConfigException;

/** The keys that choose between one password for every agent and one derived per agent. */
class CoordinatorAgentPasswordsTest {
  private static final String MASTER = "correct horse battery staple";

  private static Map<String, String> keys(String... pairs) {
    Map<String, String> values = new HashMap<>();
    values.put("xcm.coordinator.jolokia.password", "coordinator");
    for (int i = 0; i < pairs.length; i += 2) {
      values.put("xcm.coordinator." + pairs[i], pairs[i + 1]);
    }
    return values;
  }

  @Test
  void everyAgentGetsTheOnePasswordByDefault() {
    AgentCredentials credentials =
        CoordinatorConfig.load(keys("agent.password", "agents")).agentCredentials().orElseThrow();

    assertThat(credentials.isDerived()).isFalse();
    assertThat(credentials.user()).isEqualTo("xcm");
    assertThat(credentials.password("http://hv01:8778/jolokia/")).isEqualTo("agents");
  }

  @Test
  void urlHmacDerivesEachAgentsPasswordFromTheMaster() {
    CoordinatorConfig config =
        CoordinatorConfig.load(
            keys(
                "agent.password", MASTER,
                "agent.password-derivation", "url-hmac",
                "agent.user", "cluster"));

    assertThat(config.agentCredentials().orElseThrow().isDerived()).isTrue();
    assertThat(config.agentCredentials().orElseThrow().user()).isEqualTo("cluster");
    assertThat(
            config
                .agentCredentials()
                .orElseThrow()
                .password("http://hv01.example.org:8778/jolokia"))
        .isEqualTo("Xcx3FznWPVRihHMgiZ1ecBtRncTscVt5T8_223TdUQg");
    assertThat(config.toString()).doesNotContain(MASTER);
  }

  @Test
  void anUnknownDerivationIsRefusedNamingTheKey() {
    assertThatThrownBy(
            () ->
                CoordinatorConfig.load(
                    keys("agent.password", MASTER, "agent.password-derivation", "hmac")))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "xcm.coordinator.agent.password-derivation: must be none (one password for every"
                + " agent) or url-hmac (each agent's own, derived from its Jolokia URL), found:"
                + " \"hmac\"");
  }

  @Test
  void aShortMasterIsRefusedWithoutShowingIt() {
    assertThatThrownBy(
            () ->
                CoordinatorConfig.load(
                    keys(
                        "agent.password", "short-master", "agent.password-derivation", "url-hmac")))
        .isInstanceOf(ConfigException.class)
        .hasMessageNotContaining("short-master")
        .hasMessage(
            "xcm.coordinator.agent.password: must be at least 16 characters: it is the master"
                + " secret of every agent's password"
                + " (xcm.coordinator.agent.password-derivation=url-hmac), found: \"***\"");
  }

  @Test
  void aConfiguredAgentWhoseUrlYieldsNoPasswordIsRefused() {
    assertThatThrownBy(
            () ->
                CoordinatorConfig.load(
                    keys(
                        "agent.password", MASTER,
                        "agent.password-derivation", "url-hmac",
                        "agents", "http://hv01:8778/jolokia/,http:///jolokia/")))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "xcm.coordinator.agents: 'http:///jolokia/' is not an agent's Jolokia URL: it names no"
                + " host, found: \"http:///jolokia/\"");
  }

  @Test
  void aConfiguredAgentUrlCarryingAPasswordIsRefusedWithoutShowingIt() {
    for (String url : List.of("http://xcm:s3cret@hv01:8778/jolokia/", "ftp://xcm:s3cret@hv01/")) {
      assertThatThrownBy(
              () ->
                  CoordinatorConfig.load(
                      keys(
                          "agent.password", MASTER,
                          "agent.password-derivation", "url-hmac",
                          "agents", url)))
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining("xcm.coordinator.agents")
          .hasMessageNotContaining("s3cret");
    }
  }
}
