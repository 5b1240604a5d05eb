package xcm.mbeans.placement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class PlacementRulesTest {
  @Test
  void everyKindOfRuleIsReadFromTextAndWrittenBackTheSame() {
    PlacementRules rules =
        PlacementRules.parse(
            " apart db ;together app soft\n on rack=r1, ssd=true; not-on zone=b; prefer ssd=true;"
                + " avoid rack=r3; pinned; restart high");

    assertThat(rules.apart()).containsExactly(new GroupRule("db", Strength.HARD));
    assertThat(rules.together()).containsExactly(new GroupRule("app", Strength.SOFT));
    assertThat(rules.hosts())
        .extracting(HostRule::kind)
        .containsExactly(
            HostRuleKind.ON, HostRuleKind.NOT_ON, HostRuleKind.PREFER, HostRuleKind.AVOID);
    assertThat(rules.pinned()).isTrue();
    assertThat(rules.restart()).isEqualTo(RestartPriority.HIGH);
    assertThat(rules)
        .hasToString(
            "apart db; together app soft; on rack=r1,ssd=true; not-on zone=b; prefer ssd=true;"
                + " avoid rack=r3; pinned; restart high");
    assertThat(PlacementRules.parse(rules.toString())).isEqualTo(rules);
    assertThat(PlacementRules.parse("  ;  ")).isEqualTo(PlacementRules.NONE);
    assertThat(PlacementRules.NONE.isEmpty()).isTrue();
    assertThat(PlacementRules.parse("restart medium").isEmpty()).isTrue();
  }

  @Test
  void aHostRuleMatchesHostsCarryingAllItsLabels() {
    HostRule rule = new HostRule(HostRuleKind.ON, HostLabels.parse("rack=r1,ssd=true"));

    assertThat(rule.met(HostLabels.parse("rack=r1,ssd=true,zone=a"))).isTrue();
    assertThat(rule.met(HostLabels.parse("rack=r1"))).isFalse();
    HostRule avoid = new HostRule(HostRuleKind.AVOID, HostLabels.parse("rack=r3"));
    assertThat(avoid.met(HostLabels.parse("rack=r3"))).isFalse();
    assertThat(avoid.met(HostLabels.NONE)).isTrue();
  }

  @Test
  void whatCannotBeReadIsRefusedNamingTheClauseAndWhy() {
    assertThatThrownBy(() -> PlacementRules.parse("apart"))
        .isInstanceOf(RulesFormatException.class)
        .hasMessage("rule 'apart' must be a group name, then hard or soft if you like");
    assertThatThrownBy(() -> PlacementRules.parse("apart db firm"))
        .hasMessage("rule 'apart db firm': 'firm' is neither hard nor soft");
    assertThatThrownBy(() -> PlacementRules.parse("apart d\"b"))
        .hasMessage("group name 'd\"b' must be 1 to 63 letters, digits, '.', '_' or '-'");
    assertThatThrownBy(() -> PlacementRules.parse("apart db; apart db soft"))
        .hasMessage("apart group 'db' is named twice");
    assertThatThrownBy(() -> PlacementRules.parse("near db"))
        .hasMessage(
            "rule 'near db' starts with none of apart, together, on, not-on, prefer, avoid,"
                + " pinned, restart");
    assertThatThrownBy(() -> PlacementRules.parse("on rack"))
        .hasMessage(
            "rule 'on rack': label 'rack' is not key=value (labels are separated by commas)");
    assertThatThrownBy(() -> PlacementRules.parse("on ")).hasMessage("rule 'on' names no label");
    assertThatThrownBy(() -> PlacementRules.parse("restart soon"))
        .hasMessage("rule 'restart soon': restart takes high, medium, low or never");
    assertThatThrownBy(() -> PlacementRules.parse("pinned yes"))
        .hasMessage("rule 'pinned yes': pinned takes nothing after it");
    assertThatThrownBy(() -> PlacementRules.parse("apart é"))
        .hasMessage("group name 'é' must be 1 to 63 letters, digits, '.', '_' or '-'");
  }

  @Test
  void whatAnErrorQuotesBackIsKeptShort() {
    String huge = "x".repeat(100_000);

    for (String text : new String[] {"apart " + huge, "on " + huge, "near " + huge, huge + "=1"}) {
      try {
        PlacementRules.parse(text.startsWith("x") ? "on " + text : text);
      } catch (RulesFormatException e) {
        assertThat(e.getMessage().length()).as(e.getMessage()).isLessThan(400);
        continue;
      }
      throw new AssertionError("accepted: " + text.substring(0, 20));
    }
  }

  @Test
  void hostRulesNoHostCouldMeetAtOnceAreRefused() {
    assertThatThrownBy(() -> PlacementRules.parse("on rack=r1; on rack=r2"))
        .hasMessage(
            "rules 'on rack=r1' and 'on rack=r2' contradict each other: a host has one value for"
                + " 'rack'");
    assertThatThrownBy(() -> PlacementRules.parse("on rack=r1,ssd=true; not-on ssd=true"))
        .hasMessage(
            "rule 'not-on ssd=true' forbids every host the 'on' rules allow (each carries"
                + " rack=r1,ssd=true)");
    assertThat(PlacementRules.parse("on rack=r1; not-on ssd=false").hosts()).hasSize(2);
  }

  @Test
  void noMoreThanSixteenRulesOfAKind() {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < 17; i++) {
      text.append("apart g").append(i).append(';');
    }
    assertThatThrownBy(() -> PlacementRules.parse(text.toString()))
        .hasMessage("17 apart rules: at most 16 on one VM");
    assertThat(PlacementRules.parse("apart a; together a").apart())
        .isEqualTo(List.of(new GroupRule("a", Strength.HARD)));
  }
}
