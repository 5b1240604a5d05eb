package xcm.bench.attack;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import xcm.bench.AgentJolokia;
import xcm.bench.Await;
import xcm.bench.CoordinatorJolokia;
import xcm.client.JolokiaException;
import xcm.mbeans.MoveStatus;
import xcm.mbeans.OperationState;

/**
 * Findings 1 and 2 of the attack on main: the operator (on main, any holder of the registration
 * secret) adds a listener's URL as an agent; main sent it the cluster password every 5 s, and a
 * balance then "moved" domains to it, where they were lost.
 */
final class ListenerAttacks {
  private final AttackCluster cluster;
  private final Settings settings;

  ListenerAttacks(AttackCluster cluster, Settings settings) {
    this.cluster = cluster;
    this.settings = settings;
  }

  /** Finding 1: the listeners, plain and TLS. */
  List<Attempt> listeners() throws IOException, InterruptedException, GeneralSecurityException {
    List<Attempt> attempts = new ArrayList<>();
    try (RogueListener plain = RogueListener.plain();
        RogueListener tls = RogueListener.selfSigned(cluster.processes.dir(), "dmz01")) {
      String plainAnswer = addHost(plain.url());
      String tlsAnswer = addHost(tls.url());
      Thread.sleep(settings.listen().toMillis());
      attempts.add(listened("1", "plain HTTP", plain, plainAnswer));
      attempts.add(listened("1", "HTTPS, self-signed certificate", tls, tlsAnswer));
    }
    return attempts;
  }

  /** What the coordinator answered {@code addHost(url)}, refused or not. */
  private String addHost(String url) throws InterruptedException {
    try {
      return "addHost accepted, host " + cluster.coordinator.addHost(url);
    } catch (JolokiaException e) {
      return "addHost "
          + e.outcome().name().toLowerCase(java.util.Locale.ROOT)
          + ": "
          + e.getMessage();
    }
  }

  private Attempt listened(String finding, String kind, RogueListener listener, String answer) {
    return new Attempt(
        finding,
        "addHost (operator) of a listener's URL, "
            + kind
            + ", listened "
            + settings.listen().toSeconds()
            + " s",
        "the coordinator sent it Authorization: Basic with the cluster password every 5 s",
        answer + "; listener: " + listener.counts(),
        listener.requests() == 0 && listener.authorizations() == 0);
  }

  /** Finding 2: a balance after the listeners were tried moves domains only between real hosts. */
  Attempt balance() throws InterruptedException {
    String main =
        "a balance moved 4 domains to the listener; they were gone from every real host, SUCCEEDED";
    String what = "balance (weighted) after the listeners were added";
    try {
      Set<String> before = domainsOnAgents().keySet();
      String id = cluster.coordinator.balance("weighted", false);
      Await.until(
          "balance " + id + " ended",
          Duration.ofSeconds(180),
          () -> cluster.coordinator.progress(id).state() != OperationState.RUNNING);
      CoordinatorJolokia.Operation op = cluster.coordinator.operation(id);
      // The agents show what their last libvirt sample (every second) saw.
      Thread.sleep(2000);
      Set<String> destinations = new TreeSet<>();
      op.moves().stream().map(MoveStatus::to).forEach(destinations::add);
      Map<String, String> after = domainsOnAgents();
      Set<String> hosts = new TreeSet<>();
      cluster.coordinator.hosts().forEach(h -> hosts.add(h.name()));
      Map<String, Integer> perHost = new TreeMap<>();
      after.values().forEach(h -> perHost.merge(h, 1, Integer::sum));
      boolean held =
          hosts.equals(new TreeSet<>(AttackCluster.HOSTS))
              && after.keySet().equals(before)
              && AttackCluster.HOSTS.containsAll(destinations);
      return new Attempt(
          "2",
          what,
          main,
          String.format(
              "%s%s, %d moves to %s; hosts %s (%d); domains on the real agents %d before, %d"
                  + " after %s",
              op.state(),
              op.errors().isEmpty() ? "" : " " + op.errors(),
              op.moves().size(),
              destinations.isEmpty() ? "none" : destinations,
              hosts,
              hosts.size(),
              before.size(),
              after.size(),
              perHost),
          held);
    } catch (JolokiaException | IllegalStateException e) {
      return new Attempt("2", what, main, "could not be measured: " + e.getMessage(), false);
    }
  }

  /** Domain name → the real host whose agent defines it. */
  private Map<String, String> domainsOnAgents() throws JolokiaException, InterruptedException {
    Map<String, String> placement = new TreeMap<>();
    for (Map.Entry<String, AgentJolokia> agent : cluster.agents.entrySet()) {
      for (AgentJolokia.Domain d : agent.getValue().domains()) {
        placement.put(d.name(), agent.getKey());
      }
    }
    return placement;
  }
}
