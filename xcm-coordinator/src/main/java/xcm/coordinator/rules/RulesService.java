package xcm.coordinator.rules;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import xcm.client.JolokiaClient;
import xcm.client.JolokiaException;
import xcm.coordinator.collect.Agents;
import xcm.coordinator.inventory.ClusterSnapshot;
import xcm.coordinator.inventory.DomainData;
import xcm.coordinator.inventory.HostRecord;
import xcm.coordinator.inventory.Inventory;
import xcm.coordinator.leader.Mandate;
import xcm.coordinator.operation.AuditLog;
import xcm.coordinator.operation.PlanningInput;
import xcm.coordinator.operation.Requester;
import xcm.coordinator.plan.RuleCheck;
import xcm.mbeans.HostState;
import xcm.mbeans.placement.PlacementRules;
import xcm.mbeans.placement.RulesFormatException;

/**
 * The VMs' placement rules as the coordinator sees and sets them: the report of every rule over the
 * last collected cluster, and a VM's rules written through its agent into its libvirt metadata,
 * after checking that they can hold with everyone else's. Every change is audited with who asked.
 *
 * <p>Thread-safe: it keeps no state; a change waits for the agent and for a collection round, and
 * holds no lock meanwhile.
 */
public final class RulesService {
  private final Inventory inventory;
  private final JolokiaClient agents;
  private final Mandate mandate;
  private final AuditLog audit;
  private final Runnable collectNow;
  private final long reservedMemoryBytes;

  /**
   * @param mandate the epoch that setting rules carries, which the VM's agent checks
   * @param collectNow runs a collection round, so that the report shows rules just set
   */
  public RulesService(
      Inventory inventory,
      JolokiaClient agents,
      Mandate mandate,
      AuditLog audit,
      Runnable collectNow,
      long reservedMemoryBytes) {
    this.inventory = inventory;
    this.agents = agents;
    this.mandate = mandate;
    this.audit = audit;
    this.collectNow = collectNow;
    this.reservedMemoryBytes = reservedMemoryBytes;
  }

  /** Every rule of the cluster as last collected, and the VMs whose rules cannot be read. */
  public RulesReport report() {
    ClusterSnapshot cluster = inventory.snapshot();
    Map<String, String> errors = new TreeMap<>();
    for (HostRecord host : cluster.hosts().values()) {
      if (host.data() != null && host.state() != HostState.REMOVED) {
        for (DomainData d : host.data().domains()) {
          if (!d.rules().readable()) {
            errors.put(d.name(), d.rules().error());
          }
        }
      }
    }
    return RulesReport.of(planned(cluster), errors);
  }

  /** One VM's rules in their text form. */
  public String rulesOf(String domain) {
    return locate(inventory.snapshot(), domain).data().rules().rules().toString();
  }

  /**
   * Replaces a VM's rules.
   *
   * @throws IllegalArgumentException naming the VM and the reason when the text cannot be read, the
   *     VM is unknown or the rules cannot hold; nothing is written then
   * @throws IllegalStateException when the VM's agent does not take them
   */
  public void set(String domain, String text, Requester who) {
    audit.audited(
        who,
        "rules " + domain + ": " + (text.isBlank() ? "none" : text),
        () -> {
          PlacementRules rules = parse(domain, text);
          write(domain, rules);
          return rules;
        },
        rules -> rules.isEmpty() ? "no rules" : "set: " + rules);
  }

  private static PlacementRules parse(String domain, String text) {
    try {
      return PlacementRules.parse(text);
    } catch (RulesFormatException e) {
      throw new IllegalArgumentException("rules for " + domain + ": " + e.getMessage());
    }
  }

  private void write(String domain, PlacementRules rules) {
    ClusterSnapshot cluster = inventory.snapshot();
    Located at = locate(cluster, domain);
    if (!at.host().reachable()) {
      throw new IllegalArgumentException(
          "cannot set the rules of "
              + domain
              + ": its host "
              + at.host().name()
              + " is UNREACHABLE, and the rules live in the VM's definition there");
    }
    List<String> conflicts = RuleCheck.conflicts(planned(cluster), domain, rules);
    if (!conflicts.isEmpty()) {
      throw new IllegalArgumentException(
          "cannot set the rules of " + domain + ": " + String.join("; ", conflicts));
    }
    try {
      Agents.setPlacement(agents, at.host().url(), domain, rules, mandate.epoch());
    } catch (JolokiaException e) {
      throw new IllegalStateException(
          "cannot set the rules of "
              + domain
              + ": its host "
              + at.host().name()
              + " did not take them: "
              + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while setting the rules of " + domain);
    }
    collectNow.run();
  }

  private record Located(HostRecord host, DomainData data) {}

  private static Located locate(ClusterSnapshot cluster, String domain) {
    List<Located> found = new ArrayList<>();
    for (HostRecord host : cluster.hosts().values()) {
      if (host.data() != null && host.state() != HostState.REMOVED) {
        for (DomainData d : host.data().domains()) {
          if (d.name().equals(domain)) {
            found.add(new Located(host, d));
          }
        }
      }
    }
    if (found.isEmpty()) {
      throw new IllegalArgumentException(
          "unknown domain '" + domain + "': it is on no host of the cluster");
    }
    if (found.size() > 1) {
      List<String> hosts = new ArrayList<>();
      found.forEach(f -> hosts.add(f.host().name()));
      throw new IllegalArgumentException(
          "domain name '"
              + domain
              + "' is on several hosts "
              + hosts
              + " (a migration under way?): ask again when it is on one");
    }
    return found.get(0);
  }

  /**
   * The planners' view of the cluster; a domain seen on two hosts (its copy coming in during a
   * migration) counts once, where it runs.
   */
  private xcm.coordinator.plan.ClusterSnapshot planned(ClusterSnapshot cluster) {
    Map<String, String> at = new HashMap<>();
    Map<String, Integer> seen = new HashMap<>();
    for (HostRecord host : cluster.hosts().values()) {
      if (host.data() != null && host.state() != HostState.REMOVED) {
        for (DomainData d : host.data().domains()) {
          seen.merge(d.uuid(), 1, Integer::sum);
          if (d.state() == xcm.mbeans.DomainState.RUNNING || !at.containsKey(d.uuid())) {
            at.put(d.uuid(), host.name());
          }
        }
      }
    }
    at.keySet().removeIf(uuid -> seen.get(uuid) < 2);
    return PlanningInput.of(cluster, reservedMemoryBytes, Map.of(), at, Instant.EPOCH);
  }
}
