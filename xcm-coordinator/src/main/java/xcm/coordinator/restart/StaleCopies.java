package xcm.coordinator.restart;

import java.util.HashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import xcm.client.JolokiaClient;
import xcm.client.JolokiaException;
import xcm.client.Request;
import xcm.coordinator.inventory.ClusterSnapshot;
import xcm.coordinator.inventory.DomainData;
import xcm.coordinator.inventory.HostRecord;
import xcm.coordinator.leader.Mandate;
import xcm.coordinator.operation.AuditLog;
import xcm.coordinator.operation.Requester;
import xcm.mbeans.ObjectNames;
import xcm.serve.LogText;

/**
 * Removes a returning host's copies of domains that were restarted elsewhere while it was fenced:
 * destroyed first if libvirt started them (autostart), then undefined. A copy is stale only when
 * the domain runs on an answering host, or a restart succeeded that the last round may not show
 * yet; a domain that runs nowhere else keeps its one copy.
 */
final class StaleCopies {
  private static final Logger log = LoggerFactory.getLogger(StaleCopies.class);

  private final JolokiaClient agents;
  private final Mandate mandate;
  private final AuditLog audit;

  StaleCopies(JolokiaClient agents, Mandate mandate, AuditLog audit) {
    this.agents = agents;
    this.mandate = mandate;
    this.audit = audit;
  }

  /** True when {@code host} holds no stale copy (any found is removed, and false returned). */
  boolean remove(ClusterSnapshot cluster, String host, RestartLedger ledger) {
    HostRecord back = cluster.host(host);
    if (back == null || back.data() == null || ledger.restarting(host)) {
      return false;
    }
    Set<String> elsewhere = new HashSet<>(ledger.notYetSeen(cluster));
    for (HostRecord h : cluster.hosts().values()) {
      if (!h.name().equals(host) && h.answering()) {
        h.data().domains().stream()
            .filter(DomainData::active)
            .forEach(d -> elsewhere.add(d.uuid()));
      }
    }
    boolean clean = true;
    for (DomainData d : back.data().domains()) {
      if (!elsewhere.contains(d.uuid())) {
        continue;
      }
      clean = false;
      try {
        if (d.active()) {
          log.error(
              "domain {} runs on returning host {} and was restarted elsewhere: destroying the"
                  + " copy on {}",
              LogText.escape(d.name()),
              LogText.escape(host),
              LogText.escape(host));
          exec(back.url(), "destroyDomain", d.name(), mandate.epoch());
        }
        exec(back.url(), "undefineDomain", d.name(), mandate.epoch());
        audit.record(
            Requester.HA,
            "remove stale copy of " + d.name() + " on " + host,
            "it runs elsewhere since " + host + " was fenced");
      } catch (JolokiaException e) {
        log.warn(
            "cannot remove the stale copy of {} on {}: {}",
            LogText.escape(d.name()),
            LogText.escape(host),
            LogText.escape(e.getMessage()));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    if (!clean) {
      try {
        exec(back.url(), "sampleNow");
      } catch (JolokiaException e) {
        // The next round reads it anyway.
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return clean;
  }

  private void exec(String url, String operation, Object... arguments)
      throws JolokiaException, InterruptedException {
    agents.send(url, Request.exec(ObjectNames.hostOperations(), operation, arguments));
  }
}
