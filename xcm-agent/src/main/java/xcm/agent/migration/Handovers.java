package xcm.agent.migration;

import java.time.Duration;

/**
 * How a domain moves where the hypervisor cannot migrate it live (libvirt's test driver): the
 * agents hand it over between them, in the phases of libvirt's own migration protocol and with the
 * same guarantee that it runs on exactly one host. The destination's half is {@link
 * IncomingMigrations}. The agent finds an implementation with {@link java.util.ServiceLoader} (the
 * test kit, {@code xcm-testkit}, has one); without one, such a host refuses to migrate domains.
 *
 * <p>Implementations are thread-safe and have a public no-argument constructor.
 */
public interface Handovers {

  /**
   * The migration of {@code context.domain()}, which the agent runs once on a thread of its own.
   *
   * @param finishRetryFor how long to keep asking a destination whose answer to FINISH was lost,
   *     with the domain paused, before leaving it paused
   */
  OutgoingMigration handover(OutgoingMigration.Context context, Duration finishRetryFor);
}
