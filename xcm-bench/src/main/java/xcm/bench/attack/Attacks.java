package xcm.bench.attack;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;

/**
 * Every attempt of the attack against one running cluster: a listener added as an agent (finding
 * 1), a host's name claimed (3), a balance after both (2), the agents' certificate door (door),
 * slow connections to the coordinator's doors (5) and a flood of rejected webhook requests (6).
 *
 * <pre>{@code
 * List<Attempt> attempts = Attacks.run(AttackCluster.start(processes, true), Settings.full());
 * }</pre>
 */
final class Attacks {
  private Attacks() {}

  static List<Attempt> run(AttackCluster cluster, Settings settings)
      throws IOException, InterruptedException, GeneralSecurityException {
    List<Attempt> attempts = new ArrayList<>();
    ListenerAttacks listeners = new ListenerAttacks(cluster, settings);
    attempts.addAll(listeners.listeners());
    // dmz01's claimed name and its dry-run drain before the balance moves some of its 8 domains.
    attempts.addAll(new IdentityAttacks(cluster, settings).run());
    attempts.add(listeners.balance());
    attempts.addAll(new CertificateAttacks(cluster).run());
    attempts.addAll(new FloodAttacks(cluster, settings).run());
    attempts.add(
        new Attempt(
            "all",
            "the coordinator and both agents after every attempt",
            "the attack left dmz01's real agent running 8 VMs the cluster no longer knew",
            cluster.alive() ? "all 3 processes alive" : "a process of the cluster DIED",
            cluster.alive()));
    return attempts;
  }
}
