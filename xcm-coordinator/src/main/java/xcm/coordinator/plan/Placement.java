package xcm.coordinator.plan;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import xcm.mbeans.HostState;

/**
 * A working copy of a snapshot's placement that moves can be tried on, and the one place where the
 * placement constraints live: a destination must be ACTIVE and have the memory free (capacity minus
 * reserve), pinned and cooling-down domains stay, a domain moves at most once per plan (within a
 * plan, a moved domain is in its cooldown), and no move breaks a hard placement rule ({@link
 * HardRules}).
 *
 * <p>Hosts and domains are numbered in snapshot order, so planners can keep their own data in
 * primitive arrays. Only domains that hold resources are placed on hosts; shut-off domains are
 * ignored by every planner.
 *
 * <pre>{@code
 * Placement placement = new Placement(snapshot, PlanOptions.defaults());
 * int vm = placement.domainIndex("vm1"), h2 = placement.hostIndex("h2");
 * if (placement.refusal(vm, h2) == null) placement.move(vm, h2);
 * }</pre>
 *
 * <p>Not thread-safe: one planner owns it.
 */
public final class Placement {
  private final ClusterSnapshot snapshot;
  private final PlanOptions options;
  private final Map<String, Integer> hostIndex;
  private final Map<String, Integer> domainIndex;
  private final boolean[] accepting;
  private final long[] capacity;
  private final long[] used;
  private final int[] hostOf;
  private final int[] originalHost;
  private final long[] memory;
  private final boolean[] holds;
  private final boolean[] fixed;
  private final boolean[] moved;
  private final HardRules rules;
  private final int[][] onHost;
  private final int[] onHostCount;
  private final int[] positionOnHost;

  public Placement(ClusterSnapshot snapshot, PlanOptions options) {
    this.snapshot = snapshot;
    this.options = options;
    hostIndex = new HashMap<>();
    domainIndex = new HashMap<>();
    int hosts = snapshot.hosts().size();
    int domains = snapshot.domains().size();
    accepting = new boolean[hosts];
    capacity = new long[hosts];
    used = new long[hosts];
    for (int h = 0; h < hosts; h++) {
      ClusterSnapshot.Host host = snapshot.hosts().get(h);
      hostIndex.put(host.name(), h);
      accepting[h] = host.state() == HostState.ACTIVE;
      capacity[h] = host.capacityBytes();
    }
    hostOf = new int[domains];
    originalHost = new int[domains];
    memory = new long[domains];
    holds = new boolean[domains];
    fixed = new boolean[domains];
    moved = new boolean[domains];
    positionOnHost = new int[domains];
    int[] perHost = new int[hosts];
    for (int d = 0; d < domains; d++) {
      ClusterSnapshot.Domain domain = snapshot.domains().get(d);
      domainIndex.put(domain.name(), d);
      hostOf[d] = hostIndex.get(domain.host());
      originalHost[d] = hostOf[d];
      memory[d] = domain.memoryBytes();
      holds[d] = domain.holdsResources();
      fixed[d] = domain.stays() || options.coolingDown(domain);
      if (holds[d]) {
        perHost[hostOf[d]]++;
      }
    }
    rules = new HardRules(snapshot, hostIndex, holds);
    onHost = new int[hosts][];
    onHostCount = new int[hosts];
    for (int h = 0; h < hosts; h++) {
      onHost[h] = new int[Math.max(4, perHost[h])];
    }
    for (int d = 0; d < domains; d++) {
      if (holds[d]) {
        add(d, hostOf[d]);
      }
    }
  }

  /**
   * An independent copy of {@code other} as it is now, to try changes on without building it again
   * from the snapshot (names, rules and group numbers are shared: they never change).
   */
  public Placement(Placement other) {
    snapshot = other.snapshot;
    options = other.options;
    // Filled once by the snapshot's constructor, never changed: shared.
    hostIndex = other.hostIndex;
    domainIndex = other.domainIndex;
    accepting = other.accepting.clone();
    capacity = other.capacity;
    used = other.used.clone();
    hostOf = other.hostOf.clone();
    originalHost = other.originalHost;
    memory = other.memory;
    holds = other.holds.clone();
    fixed = other.fixed.clone();
    moved = other.moved.clone();
    rules = new HardRules(other.rules);
    onHost = new int[other.onHost.length][];
    for (int h = 0; h < onHost.length; h++) {
      onHost[h] = other.onHost[h].clone();
    }
    onHostCount = other.onHostCount.clone();
    positionOnHost = other.positionOnHost.clone();
  }

  public ClusterSnapshot snapshot() {
    return snapshot;
  }

  public PlanOptions options() {
    return options;
  }

  public int hostCount() {
    return capacity.length;
  }

  public int domainCount() {
    return hostOf.length;
  }

  /** The host's number, or -1 if it is not listed. */
  public int hostIndex(String name) {
    return hostIndex.getOrDefault(name, -1);
  }

  /** The domain's number, or -1 if it is not listed. */
  public int domainIndex(String name) {
    return domainIndex.getOrDefault(name, -1);
  }

  public String hostName(int h) {
    return snapshot.hosts().get(h).name();
  }

  public String domainName(int d) {
    return snapshot.domains().get(d).name();
  }

  /** True if the host is ACTIVE, the only state that receives domains. */
  public boolean accepting(int h) {
    return accepting[h];
  }

  public long capacityBytes(int h) {
    return capacity[h];
  }

  public long usedBytes(int h) {
    return used[h];
  }

  public long freeBytes(int h) {
    return capacity[h] - used[h];
  }

  public int hostOf(int d) {
    return hostOf[d];
  }

  public long memoryBytes(int d) {
    return memory[d];
  }

  /** True if the domain holds memory and CPU (not shut off), so it counts and can move live. */
  public boolean holdsResources(int d) {
    return holds[d];
  }

  /** True if a plan may still move the domain: it holds resources, is not pinned, not cooling. */
  public boolean movable(int d) {
    return holds[d] && !fixed[d] && !moved[d];
  }

  /** The hard rules every move is checked against, and their state in this placement. */
  HardRules rules() {
    return rules;
  }

  /** The number of resource-holding domains on the host. */
  public int domainsOn(int h) {
    return onHostCount[h];
  }

  /** The i-th resource-holding domain on the host, {@code 0 <= i < domainsOn(h)}. */
  public int domainOn(int h, int i) {
    return onHost[h][i];
  }

  /**
   * True if the move is allowed; the fast form of {@link #refusal}. Planners call it in their inner
   * loops.
   */
  public boolean canMove(int d, int to) {
    return movable(d)
        && accepting[to]
        && hostOf[d] != to
        && used[to] + memory[d] <= capacity[to]
        && rules.allows(d, to);
  }

  /** Null if the domain may move to the host, else the constraint that forbids it. */
  public String refusal(int d, int to) {
    return refusal(d, to, false);
  }

  /**
   * Null if the domains — a group that hard together rules join, all on one host — may move to the
   * host together, else the constraint that forbids it.
   */
  String groupRefusal(int[] group, int to) {
    long needed = 0;
    for (int d : group) {
      String problem = refusal(d, to, true);
      if (problem != null) {
        return domainName(d) + ": " + problem;
      }
      needed += memory[d];
    }
    if (used[to] + needed > capacity[to]) {
      return "together they need "
          + needed
          + " bytes and host "
          + hostName(to)
          + " has "
          + freeBytes(to)
          + " free";
    }
    return null;
  }

  private String refusal(int d, int to, boolean withGroup) {
    ClusterSnapshot.Domain domain = snapshot.domains().get(d);
    ClusterSnapshot.Host host = snapshot.hosts().get(to);
    if (!holds[d]) {
      return "it is " + domain.state() + " and holds no resources to move live";
    }
    if (domain.pinned()) {
      return "it is pinned";
    }
    if (domain.rules().pinned()) {
      return "its rules pin it (rule 'pinned')";
    }
    if (options.coolingDown(domain)) {
      return "it moved "
          + domain.lastMovedSecondsAgo().getAsLong()
          + " s ago, within the "
          + options.cooldownSeconds()
          + " s cooldown";
    }
    if (moved[d]) {
      return "it already moves in this plan";
    }
    if (hostOf[d] == to) {
      return "it is already on " + host.name();
    }
    if (!accepting[to]) {
      return "host " + host.name() + " is " + host.state() + ", not ACTIVE";
    }
    if (used[to] + memory[d] > capacity[to]) {
      return "it needs "
          + memory[d]
          + " bytes and host "
          + host.name()
          + " has "
          + freeBytes(to)
          + " free";
    }
    return rules.refusal(d, to, this, withGroup);
  }

  /**
   * Moves the domain; the caller has checked {@link #canMove}. The domain is then in its cooldown
   * for the rest of the plan.
   */
  public void move(int d, int to) {
    remove(d, hostOf[d]);
    hostOf[d] = to;
    add(d, to);
    moved[d] = true;
  }

  /**
   * True if the domain could be relocated there while a planner searches for a final placement: as
   * {@link #canMove}, except that a domain moved earlier may move again. Moves in a plan still go
   * through {@link #canMove}.
   */
  boolean canRelocate(int d, int to) {
    return holds[d]
        && !fixed[d]
        && accepting[to]
        && hostOf[d] != to
        && used[to] + memory[d] <= capacity[to]
        && rules.allows(d, to);
  }

  /**
   * Relocates the domain during a search for a final placement; it counts as moved unless it is
   * back on its snapshot host.
   */
  void relocate(int d, int to) {
    remove(d, hostOf[d]);
    hostOf[d] = to;
    add(d, to);
    moved[d] = to != originalHost[d];
  }

  /** The host the domain is on in the snapshot. */
  public int originalHost(int d) {
    return originalHost[d];
  }

  /** True if the domain is away from its snapshot host. */
  public boolean moved(int d) {
    return moved[d];
  }

  /** True if the domain may not move at all: pinned, cooling down or held. */
  boolean held(int d) {
    return fixed[d];
  }

  /** Keeps the domain where it is for the rest of the plan, as if pinned. */
  public void hold(int d) {
    fixed[d] = true;
  }

  /** The host takes no domains from now on, as if it were not ACTIVE. */
  void stopAccepting(int h) {
    accepting[h] = false;
  }

  /**
   * The domain stops running: it leaves its host and holds nothing from now on, as if the snapshot
   * had listed it shut off — what a VM that is not restarted is once its host fails.
   */
  void drop(int d) {
    if (holds[d]) {
      remove(d, hostOf[d]);
      holds[d] = false;
      rules.stopped(d);
    }
  }

  /** The resource-holding domains of one host, as a copy. */
  public int[] domainsOnHost(int h) {
    return Arrays.copyOf(onHost[h], onHostCount[h]);
  }

  private void add(int d, int h) {
    if (onHostCount[h] == onHost[h].length) {
      onHost[h] = Arrays.copyOf(onHost[h], onHost[h].length * 2);
    }
    positionOnHost[d] = onHostCount[h];
    onHost[h][onHostCount[h]++] = d;
    used[h] += memory[d];
    rules.arrive(d, h);
  }

  private void remove(int d, int h) {
    int last = onHost[h][--onHostCount[h]];
    onHost[h][positionOnHost[d]] = last;
    positionOnHost[last] = positionOnHost[d];
    used[h] -= memory[d];
    rules.leave(d, h);
  }
}
