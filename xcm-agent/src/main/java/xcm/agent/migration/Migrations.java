package xcm.agent.migration;

import java.util.Optional;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import xcm.agent.libvirt.Hypervisor;
import xcm.trust.ticket.TicketVerifier;

/**
 * An agent's part in migrations, both ways, over one lock set: the domains it sends ({@link
 * OutgoingMigrations}) and those it takes in ({@link IncomingMigrations}). Operations on a domain
 * that either holds are refused through {@link #locks()}.
 *
 * <pre>{@code
 * Migrations migrations = Migrations.create("dmz01", hypervisor, config.peer(),
 *     config.migration(), ServiceLoader.load(Handovers.class).findFirst(), sampler::requestSample);
 * migrations.outgoing().knownAs(jolokiaUrl);
 * }</pre>
 *
 * <p>Thread-safe. {@link #close()} waits for running migrations to end.
 */
public record Migrations(
    DomainLocks locks, OutgoingMigrations outgoing, IncomingMigrations incoming)
    implements AutoCloseable {

  /**
   * The migrations of an agent that reaches destinations over {@code peerTls} (the cluster's TLS
   * with its certificate; empty: not enrolled, it migrates nothing) and takes domains in only with
   * the coordinator's tickets that {@code tickets} accepts (an enrolled agent, {@link
   * IncomingTickets}).
   *
   * @param handovers how domains move where the hypervisor cannot migrate live; empty to refuse
   *     such migrations
   * @param phaseChanged called after every phase change of an outgoing migration
   */
  public static Migrations create(
      String host,
      Hypervisor hypervisor,
      Optional<Supplier<SSLContext>> peerTls,
      Optional<TicketVerifier> tickets,
      MigrationConfig migration,
      Optional<Handovers> handovers,
      Runnable phaseChanged) {
    DomainLocks locks = new DomainLocks();
    OutgoingMigrations.Builder outgoing =
        OutgoingMigrations.builder()
            .host(host)
            .hypervisor(hypervisor)
            .locks(locks)
            .liveMigrationTimeout(migration.timeout())
            .bandwidthMiBps(migration.bandwidthMiBps())
            .onPhaseChange(phaseChanged);
    handovers.ifPresent(outgoing::handovers);
    peerTls.ifPresent(outgoing::peerTls);
    return new Migrations(
        locks,
        outgoing.build(),
        new IncomingMigrations(host, hypervisor, locks, IncomingTickets.of(host, tickets)));
  }

  @Override
  public void close() {
    outgoing.close();
  }
}
