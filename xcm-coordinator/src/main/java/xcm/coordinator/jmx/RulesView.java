package xcm.coordinator.jmx;

import static xcm.coordinator.jmx.Arguments.required;

import java.util.List;
import xcm.coordinator.operation.Requester;
import xcm.coordinator.rules.RulesService;
import xcm.mbeans.RuleStatus;
import xcm.mbeans.RulesMXBean;
import xcm.mbeans.placement.Strength;

/** {@code xcm:type=Rules}: the placement rules of the cluster's VMs. */
final class RulesView implements RulesMXBean {
  private final RulesService rules;

  RulesView(RulesService rules) {
    this.rules = rules;
  }

  @Override
  public List<RuleStatus> getRules() {
    return rules.report().rows();
  }

  @Override
  public int getHardViolations() {
    return rules.report().violations(Strength.HARD);
  }

  @Override
  public int getSoftViolations() {
    return rules.report().violations(Strength.SOFT);
  }

  @Override
  public int getUnreadableRules() {
    return (int) rules.report().rows().stream().filter(r -> r.kind().equals("metadata")).count();
  }

  @Override
  public String domainRules(String domain) {
    return rules.rulesOf(required(domain, "domainRules", "domain"));
  }

  @Override
  public void setRules(String domain, String text) {
    rules.set(
        required(domain, "setRules", "domain"),
        required(text, "setRules", "rules"),
        Requester.ofCurrentCall());
  }

  @Override
  public void clearRules(String domain) {
    rules.set(required(domain, "clearRules", "domain"), "", Requester.ofCurrentCall());
  }
}
