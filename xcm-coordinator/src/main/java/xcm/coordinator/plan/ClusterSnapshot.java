package xcm.coordinator.plan;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import xcm.mbeans.DomainState;
import xcm.mbeans.HostState;
import xcm.mbeans.placement.GroupRule;
import xcm.mbeans.placement.HostLabels;
import xcm.mbeans.placement.PlacementRules;
import xcm.mbeans.placement.Strength;

/**
 * What the planners see of a cluster at one instant: its hosts and its domains. Validated on
 * construction, so a snapshot that exists can be planned on.
 *
 * <pre>{@code
 * ClusterSnapshot snapshot = new ClusterSnapshot(
 *     List.of(Host.active("h1", 64L << 30, 1L << 30, 16), Host.active("h2", 64L << 30, 1L << 30, 16)),
 *     List.of(Domain.running("vm1", "h1", 2L << 30, 2, 0.35)));
 * }</pre>
 *
 * <p>A duplicate host or domain name, or a domain on a host that is not listed, throws {@link
 * SnapshotException} naming the entry. Immutable and thread-safe.
 */
public record ClusterSnapshot(List<Host> hosts, List<Domain> domains) {

  public ClusterSnapshot {
    hosts = List.copyOf(Objects.requireNonNull(hosts, "hosts"));
    domains = List.copyOf(Objects.requireNonNull(domains, "domains"));
    Set<String> hostNames = new HashSet<>();
    for (Host host : hosts) {
      if (!hostNames.add(host.name())) {
        throw new SnapshotException("host \"" + host.name() + "\" is listed twice");
      }
    }
    Set<String> domainNames = new HashSet<>();
    for (Domain domain : domains) {
      if (!domainNames.add(domain.name())) {
        throw new SnapshotException("domain \"" + domain.name() + "\" is listed twice");
      }
      if (!hostNames.contains(domain.host())) {
        throw new SnapshotException(
            "domain \""
                + domain.name()
                + "\": host \""
                + domain.host()
                + "\" is not listed in hosts");
      }
    }
  }

  /** The same cluster once the moves ran: each moved domain on the host its last move names. */
  public ClusterSnapshot withMoves(List<Move> moves) {
    if (moves.isEmpty()) {
      return this;
    }
    Map<String, String> to = new HashMap<>();
    moves.forEach(m -> to.put(m.domain(), m.to()));
    List<Domain> moved = new ArrayList<>(domains.size());
    for (Domain d : domains) {
      String host = to.get(d.name());
      moved.add(host == null ? d : d.withHost(host));
    }
    return new ClusterSnapshot(hosts, moved);
  }

  /** The host of that name, if listed. */
  public Optional<Host> host(String name) {
    return hosts.stream().filter(h -> h.name().equals(name)).findFirst();
  }

  /**
   * One physical host.
   *
   * @param reservedMemoryBytes memory kept for the hypervisor itself; placements never use it
   */
  public record Host(
      String name,
      HostState state,
      long memoryBytes,
      long reservedMemoryBytes,
      int cpus,
      HostLabels labels) {

    public Host {
      requireName("host", name);
      Objects.requireNonNull(labels, () -> "host \"" + name + "\": labels are missing");
      Objects.requireNonNull(state, () -> "host \"" + name + "\": state is missing");
      requireNotNegative("host", name, "memoryBytes", memoryBytes);
      requireNotNegative("host", name, "reservedMemoryBytes", reservedMemoryBytes);
      requireNotNegative("host", name, "cpus", cpus);
      if (state == HostState.ACTIVE && reservedMemoryBytes >= memoryBytes) {
        throw new SnapshotException(
            "host \""
                + name
                + "\": an ACTIVE host needs memoryBytes ("
                + memoryBytes
                + ") above reservedMemoryBytes ("
                + reservedMemoryBytes
                + ")");
      }
      if (state == HostState.ACTIVE && cpus == 0) {
        throw new SnapshotException("host \"" + name + "\": an ACTIVE host needs cpus above 0");
      }
    }

    /** A host without labels. */
    public Host(
        String name, HostState state, long memoryBytes, long reservedMemoryBytes, int cpus) {
      this(name, state, memoryBytes, reservedMemoryBytes, cpus, HostLabels.NONE);
    }

    /** An ACTIVE host. */
    public static Host active(String name, long memoryBytes, long reservedMemoryBytes, int cpus) {
      return new Host(name, HostState.ACTIVE, memoryBytes, reservedMemoryBytes, cpus);
    }

    /** Memory that placements may fill: {@code memoryBytes - reservedMemoryBytes}. */
    public long capacityBytes() {
      return memoryBytes - reservedMemoryBytes;
    }

    /** The same host in another state. */
    public Host withState(HostState newState) {
      return new Host(name, newState, memoryBytes, reservedMemoryBytes, cpus, labels);
    }

    /** The same host with these labels. */
    public Host withLabels(HostLabels newLabels) {
      return new Host(name, state, memoryBytes, reservedMemoryBytes, cpus, newLabels);
    }
  }

  /**
   * One virtual machine.
   *
   * @param cpuUtilisation the busy fraction of its vCPUs over the last sample, normally 0..1
   * @param rules what its operator said about where it runs (its libvirt metadata): hard rules are
   *     constraints of every plan, soft ones weigh in the score
   * @param pinned held where it is by the coordinator (e.g. while an operation moves it); a domain
   *     whose rules say {@code pinned} is held as well
   * @param lastMovedSecondsAgo when it last migrated; within the cooldown it is not moved again
   */
  public record Domain(
      String name,
      String host,
      DomainState state,
      long memoryBytes,
      int vcpus,
      double cpuUtilisation,
      PlacementRules rules,
      boolean pinned,
      OptionalLong lastMovedSecondsAgo) {

    public Domain {
      requireName("domain", name);
      Objects.requireNonNull(host, () -> "domain \"" + name + "\": host is missing");
      Objects.requireNonNull(state, () -> "domain \"" + name + "\": state is missing");
      requireNotNegative("domain", name, "memoryBytes", memoryBytes);
      requireNotNegative("domain", name, "vcpus", vcpus);
      if (!(cpuUtilisation >= 0) || Double.isInfinite(cpuUtilisation)) {
        throw new SnapshotException(
            "domain \""
                + name
                + "\": cpuUtilisation must be a finite number >= 0, found: "
                + cpuUtilisation);
      }
      Objects.requireNonNull(rules, () -> "domain \"" + name + "\": rules are missing");
      Objects.requireNonNull(lastMovedSecondsAgo, "lastMovedSecondsAgo");
      if (lastMovedSecondsAgo.isPresent()) {
        requireNotNegative("domain", name, "lastMovedSecondsAgo", lastMovedSecondsAgo.getAsLong());
      }
    }

    /** A RUNNING domain with no rules, not pinned, never moved. */
    public static Domain running(
        String name, String host, long memoryBytes, int vcpus, double cpuUtilisation) {
      return new Domain(
          name,
          host,
          DomainState.RUNNING,
          memoryBytes,
          vcpus,
          cpuUtilisation,
          PlacementRules.NONE,
          false,
          OptionalLong.empty());
    }

    /** True if no plan may move it: held by the coordinator, or pinned by its rules. */
    public boolean stays() {
      return pinned || rules.pinned();
    }

    /** True while it holds memory and CPU on its host, so it counts for load and moves live. */
    public boolean holdsResources() {
      return state.isActive();
    }

    public Domain withHost(String newHost) {
      return new Domain(
          name,
          newHost,
          state,
          memoryBytes,
          vcpus,
          cpuUtilisation,
          rules,
          pinned,
          lastMovedSecondsAgo);
    }

    public Domain withState(DomainState newState) {
      return new Domain(
          name,
          host,
          newState,
          memoryBytes,
          vcpus,
          cpuUtilisation,
          rules,
          pinned,
          lastMovedSecondsAgo);
    }

    /** The same domain with these rules. */
    public Domain withRules(PlacementRules newRules) {
      return new Domain(
          name,
          host,
          state,
          memoryBytes,
          vcpus,
          cpuUtilisation,
          newRules,
          pinned,
          lastMovedSecondsAgo);
    }

    /** The same domain kept apart (hard) from every other member of the group as well. */
    public Domain withAntiAffinityGroup(String group) {
      List<GroupRule> apart = new ArrayList<>(rules.apart());
      apart.add(new GroupRule(group, Strength.HARD));
      return withRules(
          new PlacementRules(
              apart, rules.together(), rules.hosts(), rules.pinned(), rules.restart()));
    }

    public Domain withPinned(boolean newPinned) {
      return new Domain(
          name,
          host,
          state,
          memoryBytes,
          vcpus,
          cpuUtilisation,
          rules,
          newPinned,
          lastMovedSecondsAgo);
    }

    public Domain withLastMovedSecondsAgo(long seconds) {
      return new Domain(
          name,
          host,
          state,
          memoryBytes,
          vcpus,
          cpuUtilisation,
          rules,
          pinned,
          OptionalLong.of(seconds));
    }
  }

  private static void requireName(String kind, String name) {
    if (name == null || name.isEmpty()) {
      throw new SnapshotException("a " + kind + " has no name");
    }
  }

  private static void requireNotNegative(String kind, String name, String field, long value) {
    if (value < 0) {
      throw new SnapshotException(
          kind + " \"" + name + "\": " + field + " must not be negative, found: " + value);
    }
  }
}
