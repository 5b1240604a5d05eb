package xcm.coordinator.collect;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.DoubleConsumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import xcm.client.JolokiaClient;
import xcm.client.JolokiaException;
import xcm.coordinator.inventory.ClusterSnapshot;
import xcm.coordinator.inventory.HostData;
import xcm.coordinator.inventory.HostRecord;
import xcm.coordinator.inventory.Inventory;
import xcm.coordinator.inventory.Newcomer;
import xcm.coordinator.inventory.RoundOutcome;
import xcm.serve.LogText;

/**
 * Cluster membership and collection: hosts join through {@link #addHost} (an operator, an agent
 * registering itself, or the configured URLs), and {@link #collect} reads every member's agent in
 * parallel, one bulk request each ({@link Staggered}: a few hundred at a time), then swaps the new
 * snapshot into the {@link Inventory}.
 *
 * <pre>{@code
 * ClusterCollector collector = new ClusterCollector(inventory, agents,
 *     List.of("http://10.0.0.5:8778/jolokia/"), seconds -> histogram.observe(seconds));
 * collector.collect();
 * }</pre>
 *
 * <p>Thread-safe; {@link #collect} is meant to run from one scheduler job at a time.
 */
public final class ClusterCollector {
  private static final Logger log = LoggerFactory.getLogger(ClusterCollector.class);

  /**
   * Hosts not yet members (configured or enrolled, not yet answered) read per round; the others
   * wait for their turn in the next rounds.
   */
  static final int NEWCOMERS_PER_ROUND = 250;

  private final Inventory inventory;
  private final JolokiaClient agents;
  private final Set<String> configured;
  private final DoubleConsumer roundSeconds;
  private final Enrolments enrolments;
  private final List<Consumer<ClusterSnapshot>> afterRound = new CopyOnWriteArrayList<>();
  private final AtomicInteger newcomerTurn = new AtomicInteger();
  private final Staggered staggered = new Staggered(Staggered.READS_AT_ONCE);

  public ClusterCollector(
      Inventory inventory,
      JolokiaClient agents,
      List<String> configuredUrls,
      DoubleConsumer roundSeconds) {
    this(inventory, agents, configuredUrls, roundSeconds, Enrolments.NONE);
  }

  /**
   * @param enrolments the hosts enrolled and their URLs: an agent that reports another name than
   *     the one enrolled at its URL, or an enrolled host's name from another URL, does not join
   */
  public ClusterCollector(
      Inventory inventory,
      JolokiaClient agents,
      List<String> configuredUrls,
      DoubleConsumer roundSeconds,
      Enrolments enrolments) {
    this.enrolments = enrolments;
    this.inventory = inventory;
    this.agents = agents;
    this.configured = ConcurrentHashMap.newKeySet();
    this.roundSeconds = roundSeconds;
    List<String> urls = new ArrayList<>();
    for (String url : configuredUrls) {
      urls.add(normalise(url.strip()));
    }
    configured.addAll(urls);
    // One snapshot for all of them: a coordinator starts with every enrolled host's URL.
    inventory.pendingAll(urls, "not read yet");
  }

  /**
   * Called after every round with its snapshot, on the collecting thread: for work that follows
   * each round (the failure handler, the kept definitions); it must hand anything slow on.
   */
  public void afterRound(Consumer<ClusterSnapshot> listener) {
    afterRound.add(listener);
  }

  /**
   * Reads the agent at {@code url} and makes its host a member; idempotent.
   *
   * @return the host name the agent reports
   * @throws IllegalArgumentException naming the URL and the reason when the agent cannot be read or
   *     another reachable agent holds the same host name; the model is unchanged then
   */
  public String addHost(String url) {
    if (url == null || url.isBlank()) {
      throw new IllegalArgumentException("agent URL is empty");
    }
    String normalised = normalise(url.strip());
    HostData data;
    try {
      data = JolokiaClient.await(Agents.host(agents, normalised));
    } catch (JolokiaException e) {
      throw new IllegalArgumentException(e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while reading the agent at " + normalised);
    }
    return inventory.join(normalised, checkIdentity(normalised, data));
  }

  /**
   * An enrolled host, or one another coordinator added: collected from the next round on (its agent
   * may not answer yet).
   */
  public void expect(String url) {
    String normalised = normalise(url.strip());
    configured.add(normalised);
    if (inventory.snapshot().hostAt(normalised) == null) {
      inventory.pending(normalised, "not read yet");
    }
  }

  /**
   * Stops collecting the agent at {@code url}, member or not yet: another coordinator removed it.
   */
  public void forget(String url) {
    String normalised = normalise(url.strip());
    configured.remove(normalised);
    HostRecord member = inventory.snapshot().hostAt(normalised);
    if (member != null) {
      inventory.remove(member.name());
    }
    inventory.forgetPending(normalised);
  }

  /** {@code data}, unless it is not who is enrolled at {@code url} ({@link Enrolments#check}). */
  private HostData checkIdentity(String url, HostData data) {
    enrolments
        .check(url, data.name(), data.hostUuid())
        .ifPresent(
            reason -> {
              throw new IllegalArgumentException(reason);
            });
    return data;
  }

  /**
   * Stops collecting a host.
   *
   * @throws IllegalArgumentException naming the host when it is not a member
   */
  public void removeHost(String host) {
    HostRecord record = inventory.snapshot().host(host);
    inventory.remove(host);
    // A configured agent an operator removed is not admitted again by the next round.
    configured.remove(record.url());
  }

  /** One collection round over every member and every configured URL not yet answered. */
  public ClusterSnapshot collect() {
    long started = System.nanoTime();
    ClusterSnapshot before = inventory.snapshot();
    Map<String, CompletableFuture<HostData>> members = new HashMap<>();
    Map<String, Supplier<CompletableFuture<HostData>>> answering = new LinkedHashMap<>();
    for (HostRecord host : before.hosts().values()) {
      if (host.removedAt() == null) {
        if (host.reachable()) {
          answering.put(host.name(), () -> Agents.host(agents, host.url()));
        } else {
          members.put(host.name(), Agents.host(agents, host.url()));
        }
      }
    }
    members.putAll(staggered.start(answering));
    Map<String, CompletableFuture<HostData>> newcomers = new HashMap<>();
    List<String> waiting = new ArrayList<>();
    for (String url : configured) {
      if (before.hostAt(url) == null) {
        waiting.add(url);
      }
    }
    // At most NEWCOMERS_PER_ROUND of them, in turns: each is a TLS handshake on the client's few
    // threads, and thousands at once (a coordinator starting with its enrolled hosts) all run past
    // the agent timeout together, are thrown away, and start again next round: none ever joins.
    int from = waiting.isEmpty() ? 0 : Math.floorMod(newcomerTurn.get(), waiting.size());
    for (int i = 0; i < Math.min(NEWCOMERS_PER_ROUND, waiting.size()); i++) {
      String url = waiting.get((from + i) % waiting.size());
      newcomers.put(url, Agents.host(agents, url));
    }
    newcomerTurn.set(from + NEWCOMERS_PER_ROUND);
    List<CompletableFuture<HostData>> all = new ArrayList<>(members.values());
    all.addAll(newcomers.values());
    awaitAll(all);

    Map<String, HostData> answers = new HashMap<>();
    Map<String, String> failures = new HashMap<>();
    members.forEach(
        (name, read) -> {
          try {
            HostData data = read.getNow(null);
            if (data == null) {
              failures.put(name, "agent did not answer within the round");
            } else if (!data.name().equals(name)) {
              failures.put(
                  name, "agent at " + before.host(name).url() + " now reports host " + data.name());
            } else {
              answers.put(name, checkIdentity(before.host(name).url(), data));
            }
          } catch (IllegalArgumentException e) {
            failures.put(name, e.getMessage());
          } catch (RuntimeException e) {
            failures.put(name, JolokiaException.of(e).getMessage());
          }
        });
    inventory.applyRound(new RoundOutcome(answers, failures, secondsSince(started)));
    List<Newcomer> heard = new ArrayList<>();
    newcomers.forEach((url, read) -> heard.add(newcomer(url, read)));
    inventory.admit(heard);
    roundSeconds.accept(secondsSince(started));
    ClusterSnapshot after = inventory.snapshot();
    for (Consumer<ClusterSnapshot> listener : afterRound) {
      try {
        listener.accept(after);
      } catch (RuntimeException e) {
        log.error("work after the collection round failed", e);
      }
    }
    return after;
  }

  /** What the read of a URL that is no member yet says: the host to join, or why it waits. */
  private Newcomer newcomer(String url, CompletableFuture<HostData> read) {
    try {
      HostData data = read.getNow(null);
      if (data == null) {
        return Newcomer.waiting(url, "agent did not answer within the round");
      }
      return Newcomer.joins(url, checkIdentity(url, data));
    } catch (IllegalArgumentException e) {
      log.warn("{}", LogText.escape(e.getMessage()));
      return Newcomer.waiting(url, e.getMessage());
    } catch (RuntimeException e) {
      return Newcomer.waiting(url, JolokiaException.of(e).getMessage());
    }
  }

  private static void awaitAll(List<CompletableFuture<HostData>> reads) {
    try {
      // Each read has its own HTTP timeout; this only guards against a stuck client.
      CompletableFuture.allOf(reads.toArray(new CompletableFuture<?>[0])).get(5, TimeUnit.MINUTES);
    } catch (ExecutionException e) {
      // Single failures are read one by one from their futures.
    } catch (TimeoutException e) {
      log.error(
          "collection round gave up waiting for {} agents",
          reads.stream().filter(f -> !f.isDone()).count());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Agent URLs end in a slash, as Jolokia prints them, so one agent has one spelling. */
  public static String normalise(String url) {
    return url.endsWith("/") ? url : url + "/";
  }

  private static double secondsSince(long startedNanos) {
    return (System.nanoTime() - startedNanos) / 1e9;
  }
}
