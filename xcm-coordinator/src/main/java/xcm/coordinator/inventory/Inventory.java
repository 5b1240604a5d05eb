package xcm.coordinator.inventory;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import xcm.mbeans.HostState;
import xcm.serve.LogText;

/**
 * The cluster-wide model: one immutable {@link ClusterSnapshot}, replaced atomically on every
 * change (a collection round, a host joining or leaving). Readers never lock; changes are
 * serialised so that a round and an {@code addHost} cannot lose each other's update.
 *
 * <pre>{@code
 * Inventory inventory = new Inventory(new HostLifecycle(3, Duration.ofMinutes(10)), clock);
 * inventory.addListener(snapshot -> views.update(snapshot));
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class Inventory {
  private static final Logger log = LoggerFactory.getLogger(Inventory.class);

  private final HostLifecycle lifecycle;
  private final Clock clock;
  private final List<Consumer<ClusterSnapshot>> listeners = new CopyOnWriteArrayList<>();
  private volatile ClusterSnapshot snapshot = ClusterSnapshot.empty();
  private Map<String, HostState> restoredModes = Map.of();

  public Inventory(HostLifecycle lifecycle, Clock clock) {
    this.lifecycle = lifecycle;
    this.clock = clock;
  }

  public ClusterSnapshot snapshot() {
    return snapshot;
  }

  public HostLifecycle lifecycle() {
    return lifecycle;
  }

  /** Called after every change with the new snapshot, on the thread that made the change. */
  public void addListener(Consumer<ClusterSnapshot> listener) {
    listeners.add(listener);
  }

  /**
   * Operator modes (DRAINING, MAINTENANCE) the journal holds, from before the coordinator restarted
   * or from the active one while this one stood by: members take them now, and a host joins in its
   * mode again, so that a host in maintenance takes no domains after a restart or a takeover. A
   * member the journal holds no mode for is ACTIVE: the active returned it to service meanwhile.
   */
  public synchronized void restoreModes(Map<String, HostState> modes) {
    restoredModes = Map.copyOf(modes);
    // A standby's members took their modes from the journal when they joined; the active has
    // changed some since, putting hosts out of service and back.
    ClusterSnapshot current = snapshot;
    Map<String, HostRecord> hosts = new TreeMap<>(current.hosts());
    boolean changed = false;
    for (HostRecord host : current.hosts().values()) {
      // The journal holds no row for an ACTIVE host: one the active activated is ACTIVE again.
      HostState mode = modes.getOrDefault(host.name(), HostState.ACTIVE);
      if (host.removedAt() == null && host.mode() != mode) {
        hosts.put(host.name(), lifecycle.withMode(host, mode));
        changed = true;
      }
    }
    if (changed) {
      publish(current.withHosts(hosts, current.pending()));
    }
  }

  /**
   * A host the journal holds as fenced: remembered, FAILED, when it is no member yet; a member with
   * no failure of its own takes this one (a standby that takes over knew it as an ordinary member),
   * so that it returns to service only through the failure handler's checks.
   */
  public synchronized void rememberFenced(String name, String url, String why, HostFailure fenced) {
    if (snapshot.host(name) == null) {
      rememberAll(Map.of(name, url), why, fenced);
      return;
    }
    updateFailure(name, host -> host.failure() != null ? host : host.fenced(fenced));
  }

  /** A configured agent URL that has not answered yet. */
  public synchronized void pending(String url, String reason) {
    ClusterSnapshot current = snapshot;
    if (current.hostAt(url) != null) {
      return;
    }
    Map<String, String> pending = new TreeMap<>(current.pending());
    pending.put(url, reason);
    publish(current.withHosts(current.hosts(), pending));
  }

  /** No longer waits for the agent at {@code url} to answer. */
  public synchronized void forgetPending(String url) {
    ClusterSnapshot current = snapshot;
    if (current.pending().containsKey(url)) {
      Map<String, String> pending = new TreeMap<>(current.pending());
      pending.remove(url);
      publish(current.withHosts(current.hosts(), pending));
    }
  }

  /**
   * Hosts the coordinator knew running domains before it restarted or took over (name to URL in
   * {@code urls}), not heard from yet: members from now on, unreachable until their agents answer,
   * so that if one never does its domains are restarted elsewhere (after it is fenced) rather than
   * forgotten; {@code failure}: hosts it had fenced, which stay so. Nothing changes for a host that
   * is a member already. One snapshot for all of them: a coordinator taking over remembers every
   * enrolled host, and a snapshot each would copy the whole model per host.
   */
  public synchronized void rememberAll(Map<String, String> urls, String why, HostFailure failure) {
    ClusterSnapshot current = snapshot;
    Instant now = clock.instant();
    Map<String, HostRecord> hosts = null;
    Map<String, String> pending = null;
    for (Map.Entry<String, String> host : urls.entrySet()) {
      String name = host.getKey();
      if (current.host(name) != null) {
        continue;
      }
      if (hosts == null) {
        hosts = new TreeMap<>(current.hosts());
        pending = new TreeMap<>(current.pending());
      }
      hosts.put(
          name,
          lifecycle.remembered(
              name,
              host.getValue(),
              restoredModes.getOrDefault(name, HostState.ACTIVE),
              why,
              failure,
              now));
      pending.remove(host.getValue());
    }
    if (hosts != null) {
      publish(current.withHosts(hosts, pending));
    }
  }

  /**
   * Records that the agent at {@code url} answered with {@code data}: a new member, the same member
   * again (nothing changes but its figures), or a known host whose agent moved to a new URL.
   *
   * @return the host's name
   * @throws IllegalArgumentException when another reachable agent already holds that host name
   */
  public synchronized String join(String url, HostData data) {
    ClusterSnapshot current = snapshot;
    Map<String, HostRecord> hosts = new TreeMap<>(current.hosts());
    Map<String, String> pending = new TreeMap<>(current.pending());
    Joins.join(lifecycle, restoredModes, hosts, pending, url, data, clock.instant());
    publish(current.withHosts(hosts, pending));
    return data.name();
  }

  /**
   * Several configured agent URLs that have not answered yet, with one reason, published once: a
   * coordinator starts with every enrolled host's URL, and one snapshot each would copy the whole
   * model per URL.
   */
  public synchronized void pendingAll(Collection<String> urls, String reason) {
    ClusterSnapshot current = snapshot;
    Map<String, String> pending = new TreeMap<>(current.pending());
    for (String url : urls) {
      if (current.hostAt(url) == null) {
        pending.put(url, reason);
      }
    }
    if (!pending.equals(current.pending())) {
      publish(current.withHosts(current.hosts(), pending));
    }
  }

  /**
   * What a round heard from URLs that are no members yet, applied in order as {@link #join} and
   * {@link #pending} would, and published once: one snapshot per newcomer copies the whole model
   * each time, quadratic in the fleet when thousands join at once. A newcomer that reports a host
   * name another reachable agent holds stays pending, with the reason {@link #join} gives.
   */
  public synchronized void admit(List<Newcomer> newcomers) {
    if (newcomers.isEmpty()) {
      return;
    }
    Instant now = clock.instant();
    ClusterSnapshot current = snapshot;
    Map<String, HostRecord> hosts = new TreeMap<>(current.hosts());
    Map<String, String> pending = new TreeMap<>(current.pending());
    Set<String> joined = new HashSet<>();
    for (Newcomer n : newcomers) {
      if (n.data() != null) {
        try {
          Joins.join(lifecycle, restoredModes, hosts, pending, n.url(), n.data(), now);
          joined.add(n.url());
          continue;
        } catch (IllegalArgumentException e) {
          log.warn("{}", LogText.escape(e.getMessage()));
          if (current.hostAt(n.url()) == null) {
            pending.put(n.url(), e.getMessage());
          }
          continue;
        }
      }
      if (current.hostAt(n.url()) == null && !joined.contains(n.url())) {
        pending.put(n.url(), n.reason());
      }
    }
    publish(current.withHosts(hosts, pending));
  }

  /**
   * Takes a host out: it is no longer collected and shows as REMOVED until the dead-host collector
   * drops it.
   *
   * @throws IllegalArgumentException naming the host when it is not a member
   */
  public synchronized void remove(String name) {
    ClusterSnapshot current = snapshot;
    HostRecord host = name == null ? null : current.host(name);
    if (host == null || host.removedAt() != null) {
      throw new IllegalArgumentException(
          "unknown host '" + name + "'; members are " + members(current));
    }
    Map<String, HostRecord> hosts = new TreeMap<>(current.hosts());
    hosts.put(name, lifecycle.removed(host, clock.instant()));
    log.info("host {} removed", LogText.escape(name));
    publish(current.withHosts(hosts, current.pending()));
  }

  /**
   * Puts a member in an operator mode: DRAINING (no new placements), MAINTENANCE or back to ACTIVE.
   *
   * @throws IllegalArgumentException naming the host when it is not a member
   */
  public synchronized void setMode(String name, HostState mode) {
    ClusterSnapshot current = snapshot;
    HostRecord host = name == null ? null : current.host(name);
    if (host == null || host.removedAt() != null) {
      throw new IllegalArgumentException(
          "unknown host '" + name + "'; members are " + members(current));
    }
    if (host.mode() == mode) {
      return;
    }
    Map<String, HostRecord> hosts = new TreeMap<>(current.hosts());
    hosts.put(name, lifecycle.withMode(host, mode));
    log.info("host {} is now {}", LogText.escape(name), mode);
    publish(current.withHosts(hosts, current.pending()));
  }

  /**
   * Moves a host along the failure path: {@code step} gets the host's record as it is now and
   * returns its next failure (null: off the path), under the lock that changes share, so that a
   * round answered meanwhile is seen; it must not wait on anything.
   *
   * @return the record after the step, or null when the host is not a member (any more)
   */
  public synchronized HostRecord updateFailure(String name, UnaryOperator<HostRecord> step) {
    ClusterSnapshot current = snapshot;
    HostRecord host = current.host(name);
    if (host == null || host.removedAt() != null) {
      return null;
    }
    HostRecord next = step.apply(host);
    if (next.equals(host)) {
      return host;
    }
    if (next.state() != host.state()) {
      log.warn(
          "host {} is now {}: {}",
          LogText.escape(name),
          next.state(),
          LogText.escape(next.failure() == null ? "back in service" : next.failure().reason()));
    }
    Map<String, HostRecord> hosts = new TreeMap<>(current.hosts());
    hosts.put(name, next);
    publish(current.withHosts(hosts, current.pending()));
    return next;
  }

  /**
   * Records a verified migration at once, without waiting for the next collection round: the domain
   * (by UUID) leaves {@code from}'s figures and joins {@code to}'s. Requests that follow the
   * migration then see it where it is. The next round replaces both hosts' figures anyway.
   */
  public synchronized void relocate(String uuid, String from, String to) {
    ClusterSnapshot current = snapshot;
    HostRecord source = current.host(from);
    HostRecord destination = current.host(to);
    if (source == null
        || destination == null
        || source.data() == null
        || destination.data() == null) {
      return;
    }
    DomainData domain =
        source.data().domains().stream()
            .filter(d -> d.uuid().equals(uuid))
            .findFirst()
            .orElse(null);
    if (domain == null) {
      return;
    }
    List<DomainData> left = new ArrayList<>(source.data().domains());
    left.remove(domain);
    List<DomainData> arrived = new ArrayList<>(destination.data().domains());
    arrived.removeIf(d -> d.uuid().equals(uuid));
    arrived.add(domain);
    Map<String, HostRecord> hosts = new TreeMap<>(current.hosts());
    hosts.put(from, withDomains(source, left));
    hosts.put(to, withDomains(destination, arrived));
    publish(current.withHosts(hosts, current.pending()));
  }

  private static HostRecord withDomains(HostRecord host, List<DomainData> domains) {
    domains.sort((a, b) -> a.name().compareTo(b.name()));
    return host.withData(host.data().withDomains(domains));
  }

  /**
   * Applies one collection round: each host that answered gets its new figures, each that did not
   * counts a missed round. Hosts removed while the round ran stay removed.
   */
  public synchronized ClusterSnapshot applyRound(RoundOutcome outcome) {
    Instant now = clock.instant();
    ClusterSnapshot current = snapshot;
    TreeMap<String, HostRecord> hosts = new TreeMap<>(current.hosts());
    for (Map.Entry<String, HostData> answer : outcome.answers().entrySet()) {
      HostRecord host = hosts.get(answer.getKey());
      if (host != null && host.removedAt() == null) {
        if (!host.reachable()) {
          log.info("host {} answers again", LogText.escape(host.name()));
        }
        hosts.put(host.name(), lifecycle.answered(host, answer.getValue(), now));
      }
    }
    for (Map.Entry<String, String> failure : outcome.failures().entrySet()) {
      HostRecord host = hosts.get(failure.getKey());
      if (host != null && host.removedAt() == null) {
        HostRecord next = lifecycle.missed(host, failure.getValue(), now);
        if (host.reachable() && !next.reachable()) {
          log.warn(
              "host {} is UNREACHABLE after {} missed rounds: {}",
              LogText.escape(host.name()),
              next.missedRounds(),
              LogText.escape(failure.getValue()));
        }
        hosts.put(host.name(), next);
      }
    }
    ClusterSnapshot next =
        ClusterSnapshot.ofRound(
            current.round() + 1, now, outcome.seconds(), hosts, new TreeMap<>(current.pending()));
    publish(next);
    return next;
  }

  /** Drops dead hosts from the model; returns their names. */
  public synchronized List<String> purgeDead() {
    Instant now = clock.instant();
    ClusterSnapshot current = snapshot;
    Map<String, HostRecord> hosts = new TreeMap<>(current.hosts());
    List<String> dead = new ArrayList<>();
    hosts
        .values()
        .removeIf(
            host -> {
              if (lifecycle.isDead(host, now)) {
                dead.add(host.name());
                return true;
              }
              return false;
            });
    if (!dead.isEmpty()) {
      log.info("dead-host collector dropped {}", LogText.escape(dead));
      publish(current.withHosts(hosts, current.pending()));
    }
    return dead;
  }

  private void publish(ClusterSnapshot next) {
    snapshot = next;
    for (Consumer<ClusterSnapshot> listener : listeners) {
      try {
        listener.accept(next);
      } catch (RuntimeException e) {
        log.error("inventory listener {} failed", listener, e);
      }
    }
  }

  private static String members(ClusterSnapshot snapshot) {
    List<String> names = new ArrayList<>();
    snapshot.hosts().values().stream()
        .filter(h -> h.state() != HostState.REMOVED)
        .forEach(h -> names.add(h.name()));
    return names.isEmpty() ? "none" : String.join(", ", names);
  }
}
