package xcm.mbeans;

import java.util.List;

/**
 * One placement rule of the cluster and how it stands now: a row of {@code xcm:type=Rules}
 * attribute {@code Rules}.
 *
 * @param rule the rule as written, e.g. {@code apart db}, {@code on rack=r1}, {@code pinned}; for
 *     metadata that cannot be read, {@code metadata}
 * @param kind {@code apart}, {@code together}, {@code host}, {@code pinned} or {@code metadata}
 * @param strength {@code hard} or {@code soft}
 * @param members the VMs the rule is about, by name
 * @param satisfied true when the placement keeps the rule now
 * @param reason why it is broken (e.g. {@code db1 and db2 share dmz01}), or what keeps it
 */
public record RuleStatus(
    String rule,
    String kind,
    String strength,
    List<String> members,
    boolean satisfied,
    String reason) {}
