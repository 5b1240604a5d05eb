package xcm.coordinator.restart;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import xcm.coordinator.inventory.ClusterSnapshot;
import xcm.coordinator.inventory.DomainData;
import xcm.coordinator.inventory.HostRecord;
import xcm.coordinator.journal.DomainDefinition;
import xcm.coordinator.journal.FetchedDefinition;
import xcm.coordinator.journal.Journal;
import xcm.coordinator.journal.JournalException;
import xcm.serve.LogText;

/**
 * Every domain's definition as last collected and the host it last ran on, in the journal (and,
 * without its XML, in memory), so that a failed host's domains can be defined elsewhere, also after
 * the coordinator restarted. After each round the hosts that answered are compared with what is
 * kept: a domain whose agent reports another definition digest is fetched again (one Jolokia bulk
 * request per host, at most {@code hostsPerRound} hosts a round, so a new coordinator fills its
 * store over some rounds rather than at once); one that moved or stopped is updated; one that no
 * answering host defines for two rounds in a row was undefined and is forgotten. What a silent host
 * ran is kept: that is the point.
 *
 * <p>Work runs on {@code executor}, one pass at a time; a round that comes while a pass runs is
 * skipped, and the next one sees what it missed. Thread-safe.
 */
public final class Definitions {
  private static final Logger log = LoggerFactory.getLogger(Definitions.class);

  private final Journal journal;
  private final DefinitionFetch agents;
  private final Clock clock;
  private final Executor executor;
  private final int hostsPerRound;
  private final Map<String, DomainDefinition> kept = new ConcurrentHashMap<>();
  private final Map<String, Integer> missing = new HashMap<>();
  private final Map<String, Double> load = new ConcurrentHashMap<>();

  /**
   * How much each round's sample moves a domain's smoothed CPU load: at 5 s rounds the load follows
   * a change within half a minute, and one busy sample as the host dies does not keep it down.
   */
  private static final double LOAD_WEIGHT = 0.2;

  private final AtomicBoolean passing = new AtomicBoolean();

  public Definitions(
      Journal journal, DefinitionFetch agents, Clock clock, Executor executor, int hostsPerRound) {
    this.journal = journal;
    this.agents = agents;
    this.clock = clock;
    this.executor = executor;
    this.hostsPerRound = hostsPerRound;
    reload();
  }

  /** Reads the definitions the journal keeps: a standby taking over has what the active kept. */
  public void reload() {
    Map<String, DomainDefinition> journaled = new HashMap<>();
    for (DomainDefinition d : journal.definitions()) {
      journaled.put(d.uuid(), d);
    }
    kept.keySet().retainAll(journaled.keySet());
    kept.putAll(journaled);
  }

  /** The definition kept of a domain, by UUID. */
  public Optional<DomainDefinition> of(String uuid) {
    return Optional.ofNullable(kept.get(uuid));
  }

  /**
   * The libvirt XML kept of a domain, by UUID, read from the journal (it is not held in memory).
   *
   * @throws JournalException when the journal cannot be read
   */
  public Optional<String> xml(String uuid) {
    return kept.containsKey(uuid) ? journal.definitionXml(uuid) : Optional.empty();
  }

  /**
   * The hosts some domain ran on when it was last seen: one pass over the definitions kept, where
   * {@link #ranOn} for each of 10,000 hosts made a takeover wait 110 s on 200,000 of them (./xcm
   * bench collect --takeover).
   */
  public Set<String> hostsThatRan() {
    Set<String> hosts = new HashSet<>();
    for (DomainDefinition d : kept.values()) {
      if (d.running()) {
        hosts.add(d.host());
      }
    }
    return hosts;
  }

  /** The domains that ran on {@code host} when it was last seen. */
  public List<DomainDefinition> ranOn(String host) {
    List<DomainDefinition> ran = new ArrayList<>();
    for (DomainDefinition d : kept.values()) {
      if (d.host().equals(host) && d.running()) {
        ran.add(d);
      }
    }
    ran.sort((a, b) -> a.name().compareTo(b.name()));
    return ran;
  }

  /**
   * The busy fraction of the domain's vCPUs while it ran, smoothed over the rounds (each sample
   * weighs {@value #LOAD_WEIGHT}): what a restart elsewhere brings. 0 when this coordinator has not
   * seen it run — held in memory only, so after a coordinator restart a failed host's domains count
   * as idle.
   */
  public double cpuUtilisation(String uuid) {
    return load.getOrDefault(uuid, 0.0);
  }

  /** How many definitions are kept. */
  public int size() {
    return kept.size();
  }

  /** Starts a pass over the round's snapshot, unless one runs. */
  public void afterRound(ClusterSnapshot snapshot) {
    if (!passing.compareAndSet(false, true)) {
      return;
    }
    try {
      executor.execute(
          () -> {
            try {
              pass(snapshot);
            } catch (RuntimeException e) {
              log.error("keeping the domains' definitions failed", e);
            } finally {
              passing.set(false);
            }
          });
    } catch (RejectedExecutionException e) {
      passing.set(false);
    }
  }

  /** One pass, on the calling thread: for tests, and for {@link #afterRound}. */
  public void pass(ClusterSnapshot snapshot) {
    Instant now = clock.instant();
    Map<String, DomainDefinition> changed = new HashMap<>();
    Map<HostRecord, List<DomainData>> fetch = new HashMap<>();
    Set<String> answering = new HashSet<>();
    // Every domain an answering host reports, with how many of them run it: one map, sized for the
    // domains kept, as this runs over 200,000 domains a round at 10,000 hosts (./xcm bench
    // collect).
    Map<String, int[]> runningCopiesOf = new HashMap<>(kept.size() * 4 / 3 + 16);
    for (HostRecord host : snapshot.hosts().values()) {
      if (!host.answering()) {
        continue;
      }
      answering.add(host.name());
      for (DomainData d : host.data().domains()) {
        int[] copies = runningCopiesOf.computeIfAbsent(d.uuid(), uuid -> new int[1]);
        if (d.active()) {
          copies[0]++;
          load.merge(
              d.uuid(), d.cpuUtilisation(), (was, sample) -> was + LOAD_WEIGHT * (sample - was));
        }
      }
    }
    for (HostRecord host : snapshot.hosts().values()) {
      if (!answering.contains(host.name())) {
        continue;
      }
      for (DomainData d : host.data().domains()) {
        int running = runningCopiesOf.get(d.uuid())[0];
        if (running > 1) {
          // Two hosts say they run it (a migration's last instant, or a host lying): what was
          // kept stays until one of them is right.
          continue;
        }
        if (!d.active() && running > 0) {
          // A copy left shut off beside one that runs (a hand-over half done): the running one
          // says where the domain is.
          continue;
        }
        DomainDefinition known = kept.get(d.uuid());
        if (!d.active() && known != null && known.running() && !answering.contains(known.host())) {
          // A copy shut off elsewhere while the host it ran on is silent: what a restart cut off
          // by a coordinator restart leaves defined. Taken as where the domain is, it would say the
          // domain ran nowhere, and the silent host's failure would never restart it.
          continue;
        }
        if (known == null
            || (!d.definitionDigest().isEmpty() && !known.digest().equals(d.definitionDigest()))) {
          fetch.computeIfAbsent(host, h -> new ArrayList<>()).add(d);
        } else if (!known.host().equals(host.name())
            || known.running() != d.active()
            || known.memoryBytes() != d.maxMemoryBytes()
            || known.vcpus() != d.vcpus()
            || !known.rules().equals(d.rules().rules().toString())) {
          changed.put(
              d.uuid(),
              known.seen(
                  host.name(),
                  d.active(),
                  d.maxMemoryBytes(),
                  d.vcpus(),
                  d.rules().rules().toString(),
                  now));
        }
      }
    }
    Map<String, FetchedDefinition> fetched = fetched(fetch, now);
    List<String> gone = new ArrayList<>();
    for (DomainDefinition d : kept.values()) {
      if (runningCopiesOf.containsKey(d.uuid()) || !answering.contains(d.host())) {
        missing.remove(d.uuid());
      } else if (missing.merge(d.uuid(), 1, Integer::sum) >= 2) {
        gone.add(d.uuid());
      }
    }
    try {
      journal.saveDefinitions(fetched.values(), changed.values());
      journal.forgetDefinitions(gone);
    } catch (JournalException e) {
      // Kept in memory only until the journal takes it: tried again next round.
      log.error("domain definitions not journaled: {}", LogText.escape(e.getMessage()));
      return;
    }
    kept.putAll(changed);
    fetched.forEach((uuid, f) -> kept.put(uuid, f.definition()));
    for (String uuid : gone) {
      kept.remove(uuid);
      load.remove(uuid);
      missing.remove(uuid);
    }
  }

  /** Fetches the definitions whose digest changed, one bulk request per host. */
  private Map<String, FetchedDefinition> fetched(
      Map<HostRecord, List<DomainData>> fetch, Instant now) {
    Map<String, FetchedDefinition> got = new HashMap<>();
    Map<HostRecord, CompletableFuture<List<Optional<String>>>> answers = new HashMap<>();
    int hosts = 0;
    for (Map.Entry<HostRecord, List<DomainData>> e : fetch.entrySet()) {
      if (hosts++ >= hostsPerRound) {
        break;
      }
      answers.put(
          e.getKey(),
          agents.fetch(e.getKey().url(), e.getValue().stream().map(DomainData::name).toList()));
    }
    answers.forEach(
        (host, answer) -> {
          List<Optional<String>> xmls;
          try {
            xmls = answer.get();
          } catch (ExecutionException e) {
            log.warn(
                "cannot read domain definitions from host {}: {}",
                LogText.escape(host.name()),
                LogText.escape(String.valueOf(e.getCause())));
            return;
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
          }
          List<DomainData> domains = fetch.get(host);
          for (int i = 0; i < domains.size() && i < xmls.size(); i++) {
            DomainData d = domains.get(i);
            if (xmls.get(i).isEmpty()) {
              continue;
            }
            Optional<String> problem =
                DefinitionCheck.problem(
                    xmls.get(i).get(), d.name(), d.uuid(), d.definitionDigest());
            if (problem.isPresent()) {
              log.warn(
                  "the definition of domain {} from host {} is not kept: {}",
                  LogText.escape(d.name()),
                  LogText.escape(host.name()),
                  LogText.escape(problem.get()));
              continue;
            }
            try {
              got.put(
                  d.uuid(),
                  new FetchedDefinition(
                      new DomainDefinition(
                          d.uuid(),
                          d.name(),
                          host.name(),
                          d.active(),
                          d.maxMemoryBytes(),
                          d.vcpus(),
                          d.rules().rules().toString(),
                          d.definitionDigest(),
                          now),
                      xmls.get(i).get()));
            } catch (IllegalArgumentException e) {
              log.warn("{}", LogText.escape(e.getMessage()));
            }
          }
        });
    return got;
  }
}
