package xcm.agent.jmx;

import java.util.List;
import java.util.Set;
import javax.security.auth.Subject;
import xcm.agent.epoch.Epochs;
import xcm.agent.libvirt.DomainIdentity;
import xcm.agent.libvirt.DomainNotFoundException;
import xcm.agent.libvirt.Hypervisor;
import xcm.agent.libvirt.HypervisorException;
import xcm.agent.libvirt.InvalidDomainException;
import xcm.agent.libvirt.OperationErrors;
import xcm.agent.migration.DomainLocks;
import xcm.agent.migration.Migrations;
import xcm.agent.reach.AgentProbe;
import xcm.agent.sample.Sampler;
import xcm.mbeans.AgentReach;
import xcm.mbeans.HostOperationsMXBean;
import xcm.mbeans.MigrationJob;
import xcm.mbeans.MigrationStatus;
import xcm.mbeans.placement.PlacementRules;
import xcm.mbeans.placement.RulesFormatException;
import xcm.serve.CallerSubject;
import xcm.serve.JolokiaPrincipal;

/**
 * {@code xcm:type=HostOperations}. Changes go through the agent's one libvirt connection; a sample
 * is requested after each so the MBeans follow at once.
 *
 * <p>Errors reach JMX and Jolokia clients as JDK exceptions, by the rule of {@link
 * OperationErrors}: {@link IllegalArgumentException} and {@link IllegalStateException} exactly when
 * the request changed nothing (a refusal: what the caller got wrong, what the host could not do,
 * including an operation on a domain that a migration holds: it would break the migration,
 * destroying the source's paused copy before FINISH loses the domain, starting the destination's
 * copy runs it twice); anything else when it may have changed something (libvirt's connection lost
 * during a change).
 *
 * <p>Each operation that changes the host admits the coordinator epoch it carries ({@link Epochs})
 * before anything else: one from a coordinator that is no longer the active one is refused with
 * {@link xcm.mbeans.StaleEpochException}, an {@link IllegalStateException}, having changed nothing.
 *
 * <p>Thread-safe.
 */
final class HostOperations implements HostOperationsMXBean {
  private final Hypervisor hypervisor;
  private final Sampler sampler;
  private final String host;
  private final Migrations migrations;
  private final AgentProbe probe;
  private final Epochs epochs;

  HostOperations(
      Hypervisor hypervisor,
      Sampler sampler,
      String host,
      Migrations migrations,
      AgentProbe probe,
      Epochs epochs) {
    this.hypervisor = hypervisor;
    this.sampler = sampler;
    this.host = host;
    this.migrations = migrations;
    this.probe = probe;
    this.epochs = epochs;
  }

  @Override
  public long sampleNow() {
    return sampler.sampleNow().epochMillis();
  }

  @Override
  public long getEpoch() {
    return epochs.newest();
  }

  @Override
  public long announceEpoch(long epoch) {
    epochs.admit(epoch, "take note of a newer active coordinator");
    return epochs.newest();
  }

  @Override
  public String defineDomain(String xml, long epoch) {
    epochs.admit(epoch, "define a domain");
    String domain;
    try {
      domain = DomainIdentity.parse(xml).name();
    } catch (InvalidDomainException e) {
      // libvirt says best what is wrong with the XML.
      domain = null;
    }
    return change(domain, "define", "being defined", () -> hypervisor.defineDomain(xml));
  }

  @Override
  public void startDomain(String domain, long epoch) {
    epochs.admit(epoch, "start domain '" + domain + "'");
    change(domain, "start", "being started", () -> hypervisor.startDomain(domain));
  }

  @Override
  public void destroyDomain(String domain, long epoch) {
    epochs.admit(epoch, "destroy domain '" + domain + "'");
    change(domain, "destroy", "being destroyed", () -> hypervisor.destroyDomain(domain));
  }

  @Override
  public void resumeDomain(String domain, long epoch) {
    epochs.admit(epoch, "resume domain '" + domain + "'");
    change(domain, "resume", "being resumed", () -> hypervisor.resumeDomain(domain));
  }

  @Override
  public void undefineDomain(String domain, long epoch) {
    epochs.admit(epoch, "undefine domain '" + domain + "'");
    change(domain, "undefine", "being undefined", () -> hypervisor.undefineDomain(domain));
  }

  /**
   * Reads the rules before anything is written, then writes them holding the domain (a migration in
   * flight would carry the definition it read before), then samples at once, so that the domain's
   * MBean shows them when this returns. Null rules are refused: an empty text removes them, and a
   * caller that sent none (a JSON null, a client's bug) must not have them removed.
   */
  @Override
  public void setPlacement(String domain, String rules, long epoch) {
    epochs.admit(epoch, "set the placement rules of domain '" + domain + "'");
    if (rules == null) {
      throw new IllegalArgumentException(
          host
              + ": cannot set the placement rules of domain '"
              + domain
              + "': no rules given (an empty text removes them)");
    }
    PlacementRules parsed;
    try {
      parsed = PlacementRules.parse(rules);
    } catch (RulesFormatException e) {
      throw new IllegalArgumentException(
          host + ": cannot set the placement rules of domain '" + domain + "': " + e.getMessage());
    }
    held(
        domain,
        "set the placement rules of",
        "having its placement rules set",
        () -> {
          hypervisor.setPlacement(domain, parsed);
          return null;
        });
    try {
      sampler.sampleNow();
    } catch (RuntimeException e) {
      // The rules are written all the same (the agent is stopping, say): what is refused is only
      // what changed nothing, and the next sample shows them.
    }
  }

  /**
   * Read from libvirt at each call, not from the sample: a collector asks for it because the digest
   * changed, and must get the definition as it is now.
   */
  @Override
  public String domainDefinition(String domain) {
    return call(() -> hypervisor.domainDefinition(domain), false);
  }

  @Override
  public AgentReach reachesAgent(String url) {
    return probe.reach(url);
  }

  @Override
  public String migrate(String domain, String destination, String ticket, long epoch) {
    epochs.admit(epoch, "migrate domain '" + domain + "'");
    return migrations.outgoing().migrate(domain, destination, ticket);
  }

  @Override
  public MigrationStatus migration(String id) {
    return migrations.outgoing().status(id);
  }

  @Override
  public List<MigrationStatus> getMigrations() {
    return migrations.outgoing().recent();
  }

  @Override
  public MigrationJob completedMigration(String domain) {
    return call(() -> hypervisor.completedJob(domain).orElse(null), false);
  }

  @Override
  public void prepareIncoming(String xml, String ticket) {
    migrations.incoming().prepare(xml, ticket, caller());
    sampler.requestSample();
  }

  @Override
  public void finishIncoming(String domain, String ticket) {
    migrations.incoming().finish(domain, ticket, caller());
    sampler.requestSample();
  }

  @Override
  public void abortIncoming(String domain, String ticket) {
    migrations.incoming().abort(domain, ticket, caller());
    sampler.requestSample();
  }

  @Override
  public void finishIncomingCopy(String domain, long epoch) {
    epochs.admit(epoch, "finish the incoming domain '" + domain + "'");
    finishIncoming(domain, "");
  }

  @Override
  public void abortIncomingCopy(String domain, long epoch) {
    epochs.admit(epoch, "abort the incoming domain '" + domain + "'");
    abortIncoming(domain, "");
  }

  /**
   * The Jolokia user the operation runs for ({@code agent:dmz03} for another agent by its
   * certificate), which a hand-over's ticket must name as its source; null for any other call.
   */
  private static String caller() {
    Subject subject = CallerSubject.current();
    Set<JolokiaPrincipal> jolokia =
        subject == null ? Set.of() : subject.getPrincipals(JolokiaPrincipal.class);
    return jolokia.size() == 1 ? jolokia.iterator().next().user() : null;
  }

  private interface Call<T> {
    T run() throws HypervisorException;
  }

  private interface Change {
    void run() throws HypervisorException;
  }

  private void change(String domain, String action, String purpose, Change change) {
    change(
        domain,
        action,
        purpose,
        () -> {
          change.run();
          return null;
        });
  }

  /** Runs a change while holding the domain (see {@link #held}); then asks for a sample. */
  private <T> T change(String domain, String action, String purpose, Call<T> change) {
    T result = held(domain, action, purpose, change);
    sampler.requestSample();
    return result;
  }

  /**
   * Runs a change while holding the domain, or refuses naming what holds it. A domain without a
   * name is left to libvirt to refuse.
   */
  private <T> T held(String domain, String action, String purpose, Call<T> change) {
    DomainLocks.Lease lease = null;
    if (domain != null && !domain.isEmpty()) {
      try {
        lease = migrations.locks().acquire(domain, purpose);
      } catch (DomainLocks.BusyException e) {
        throw new IllegalStateException(
            host + ": cannot " + action + " domain '" + domain + "': it is " + e.holder());
      }
    }
    try {
      return call(change, true);
    } finally {
      if (lease != null) {
        lease.close();
      }
    }
  }

  /**
   * Runs a libvirt call; its failure refused, unless the call was to change the host and libvirt's
   * connection was lost during it.
   */
  private <T> T call(Call<T> call, boolean changes) {
    try {
      return call.run();
    } catch (DomainNotFoundException | InvalidDomainException e) {
      throw new IllegalArgumentException(host + ": " + e.getMessage());
    } catch (HypervisorException e) {
      throw changes
          ? OperationErrors.ofChange(host + ": " + e.getMessage(), e)
          : new IllegalStateException(host + ": " + e.getMessage());
    }
  }
}
