package xcm.coordinator.operation;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.management.MBeanServer;
import xcm.coordinator.inventory.DomainData;
import xcm.coordinator.inventory.DomainRules;
import xcm.coordinator.inventory.HostData;
import xcm.coordinator.inventory.HostLifecycle;
import xcm.coordinator.inventory.Inventory;
import xcm.coordinator.inventory.RoundOutcome;
import xcm.coordinator.journal.Journal;
import xcm.coordinator.migration.MigrationQueue;
import xcm.coordinator.migration.MoveRequest;
import xcm.coordinator.migration.MoveResult;
import xcm.coordinator.migration.MoveRunner;
import xcm.coordinator.plan.BalancePolicies;
import xcm.coordinator.plan.FailoverTarget;
import xcm.coordinator.plan.PlanOptions;
import xcm.coordinator.plan.Planner;
import xcm.mbeans.DomainState;

/**
 * Hosts and domains in memory, behind the {@link MoveRunner} interface whose real implementation
 * (the agents) the cross-process tests exercise. A move takes a few milliseconds; while it runs the
 * runner checks that the destination, counting every move on its way in, never holds more memory
 * than it has after its reserve. Public for the tests of other packages that act through the {@link
 * OperationService} (the webhook's).
 */
public final class FakeCluster implements MoveRunner {
  public static final long GIB = 1L << 30;
  public static final long RESERVED = GIB;

  private final Map<String, Long> memory = new LinkedHashMap<>();
  private final Map<String, List<DomainData>> domains = new LinkedHashMap<>();
  private final Map<String, Long> incoming = new HashMap<>();
  public final List<String> overcommits = new ArrayList<>();
  public final Set<String> failing = ConcurrentHashMap.newKeySet();

  /**
   * Domains whose moves end INCOMPLETE: they run on the destination, a copy stays on the source.
   */
  public final Set<String> incomplete = ConcurrentHashMap.newKeySet();

  /** Runs at the start of every collection round: a request arriving while one collects. */
  public volatile Runnable duringCollect = () -> {};

  /** The journal of the last {@link #operations} made. */
  public Journal journal;

  public volatile long moveMillis = 2;

  /** The failover level the operations keep; 0 (no check) unless a test sets one. */
  public FailoverTarget failover = new FailoverTarget(0, 100);

  public final Inventory inventory =
      new Inventory(new HostLifecycle(3, Duration.ofMinutes(10)), Clock.systemUTC());

  public FakeCluster host(String name, long memoryGiB, int... domainGiB) {
    memory.put(name, memoryGiB * GIB);
    List<DomainData> list = new ArrayList<>();
    for (int i = 0; i < domainGiB.length; i++) {
      list.add(domain(name + "-vm" + i, domainGiB[i]));
    }
    domains.put(name, list);
    return this;
  }

  /** Gives a domain placement rules, as its agent would report them from its metadata. */
  public synchronized FakeCluster rules(String domain, String text) {
    for (List<DomainData> list : domains.values()) {
      list.replaceAll(
          d -> d.name().equals(domain) ? d.withRules(DomainRules.reported(text, "")) : d);
    }
    return this;
  }

  public static DomainData domain(String name, long gib) {
    return new DomainData(
        name,
        "uuid-" + name,
        DomainState.RUNNING,
        gib * GIB,
        gib * GIB,
        2,
        0.2,
        1,
        0,
        0,
        0,
        0,
        DomainRules.NONE);
  }

  /**
   * The coordinator's operations over this cluster: the real service, planner, registry, journal
   * (in memory) and audit log, with this cluster as the agents.
   */
  public OperationService operations(MigrationQueue queue, MBeanServer server, Clock clock) {
    return operations(queue, server, clock, Journal.inMemory(clock));
  }

  /** The coordinator's operations over this cluster, on {@code journal}. */
  public OperationService operations(
      MigrationQueue queue, MBeanServer server, Clock clock, Journal journal) {
    this.journal = journal;
    return new OperationService(
        inventory,
        this::collect,
        new Planner(BalancePolicies.installed(FakeCluster.class.getClassLoader())),
        queue,
        new OperationRegistry(server, clock, Duration.ofHours(1)),
        journal,
        new AuditLog(clock, journal),
        clock,
        RESERVED,
        new PlanOptions(0),
        failover,
        () -> 1L);
  }

  /** Makes every host a member of the inventory. */
  public FakeCluster join() {
    for (String host : memory.keySet()) {
      inventory.join("http://" + host + "/jolokia/", data(host));
    }
    return this;
  }

  /** A collection round: the inventory learns where every domain is now. */
  public void collect() {
    duringCollect.run();
    applyRound();
  }

  private synchronized void applyRound() {
    Map<String, HostData> answers = new HashMap<>();
    for (String host : memory.keySet()) {
      if (inventory.snapshot().host(host) != null) {
        answers.put(host, data(host));
      }
    }
    inventory.applyRound(new RoundOutcome(answers, Map.of(), 0.001));
  }

  public synchronized HostData data(String host) {
    return new HostData(host, 16, memory.get(host), 0, 0.1, false, 0, domains.get(host));
  }

  public synchronized List<String> names(String host) {
    return domains.get(host).stream().map(DomainData::name).toList();
  }

  @Override
  public MoveResult run(MoveRequest move) {
    DomainData domain;
    synchronized (this) {
      domain =
          domains.get(move.from()).stream()
              .filter(d -> d.uuid().equals(move.uuid()))
              .findFirst()
              .orElse(null);
      if (domain == null) {
        return new MoveResult(
            MoveResult.Outcome.FAILED, 1, move.domain() + " is not on " + move.from(), 0, -1);
      }
      long used = domains.get(move.to()).stream().mapToLong(DomainData::memoryBytes).sum();
      long coming = incoming.merge(move.to(), domain.memoryBytes(), Long::sum);
      if (used + coming > memory.get(move.to()) - RESERVED) {
        overcommits.add(move + ": " + (used + coming) / GIB + " GiB on the way");
      }
    }
    sleep(moveMillis);
    synchronized (this) {
      incoming.merge(move.to(), -domain.memoryBytes(), Long::sum);
      if (failing.contains(move.domain())) {
        return new MoveResult(MoveResult.Outcome.FAILED, 3, "injected failure", moveMillis, -1);
      }
      domains.get(move.from()).remove(domain);
      domains.get(move.to()).add(domain);
      if (incomplete.contains(move.domain())) {
        return new MoveResult(
            MoveResult.Outcome.INCOMPLETE,
            1,
            "the paused copy on " + move.from() + " could not be removed",
            moveMillis,
            1);
      }
    }
    return new MoveResult(MoveResult.Outcome.SUCCEEDED, 1, "", moveMillis, 1);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
