package xcm.coordinator.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import xcm.mbeans.placement.PlacementRules;

class DomainRulesTest {

  @Test
  void rulesAnAgentReportsAreReadHereAgain() {
    DomainRules rules = DomainRules.reported("together app soft;apart db", "");

    assertThat(rules.rules()).isEqualTo(PlacementRules.parse("apart db; together app soft"));
    assertThat(rules.readable()).isTrue();
    assertThat(DomainRules.reported("", "")).isEqualTo(DomainRules.NONE);
    assertThat(DomainRules.reported(null, null)).isEqualTo(DomainRules.NONE);
  }

  @Test
  void rulesThatCannotBeReadAreNoneWithTheReason() {
    DomainRules agentSays = DomainRules.reported("", "placement metadata is 20000 characters");
    assertThat(agentSays.rules()).isEqualTo(PlacementRules.NONE);
    assertThat(agentSays.readable()).isFalse();
    assertThat(agentSays.error()).isEqualTo("placement metadata is 20000 characters");

    DomainRules coordinatorSays = DomainRules.reported("restart soon", "");
    assertThat(coordinatorSays.rules()).isEqualTo(PlacementRules.NONE);
    assertThat(coordinatorSays.error())
        .isEqualTo(
            "the agent reports rules this coordinator cannot read: rule 'restart soon': restart"
                + " takes high, medium, low or never");
  }

  @Test
  void anErrorAnAgentReportsIsKeptShort() {
    DomainRules rules = DomainRules.reported("", "x".repeat(100_000));

    assertThat(rules.error()).hasSize(DomainRules.MAX_ERROR_CHARS + 1).endsWith("…");
  }

  @Test
  void rulesThatWereNotReadCannotBeSomeRules() {
    assertThatThrownBy(() -> new DomainRules(PlacementRules.parse("pinned"), "unreadable"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
