package xcm.mbeans;

import java.util.List;

/**
 * {@code xcm:type=Rules} on the coordinator: every VM's placement rules, kept in the VM's own
 * libvirt metadata, read and set through its agent.
 */
@Description(
    "Placement rules of the cluster's VMs (kept in each VM's libvirt metadata): every rule, its"
        + " members and whether the placement keeps it now; set and clear a VM's rules")
public interface RulesMXBean {
  @Description(
      "Every rule with its members, whether it holds now and why not; VMs whose metadata cannot"
          + " be read are listed with the reason")
  List<RuleStatus> getRules();

  @Description("Hard rules broken now")
  int getHardViolations();

  @Description("Soft rules broken now")
  int getSoftViolations();

  @Description("VMs whose placement metadata cannot be read")
  int getUnreadableRules();

  @Description("One VM's rules in their text form, e.g. 'apart db; on rack=r1'; empty for none")
  String domainRules(@Param(name = "domain", value = "VM (domain) name") String domain);

  @Description(
      "Sets a VM's rules (replacing the ones it has) in its live and persistent definition,"
          + " through its agent; refused, naming both sides, when they contradict the other VMs'"
          + " rules or no ACTIVE host could keep them")
  void setRules(
      @Param(name = "domain", value = "VM (domain) name") String domain,
      @Param(
              name = "rules",
              value =
                  "clauses separated by ';': apart G [soft], together G [soft], on k=v[,k=v],"
                      + " not-on k=v, prefer k=v, avoid k=v, pinned, restart high|medium|low|never")
          String rules);

  @Description("Removes every rule of a VM")
  void clearRules(@Param(name = "domain", value = "VM (domain) name") String domain);
}
