package xcm.testkit.migration;

import java.time.Duration;
import xcm.agent.migration.Handovers;
import xcm.agent.migration.OutgoingMigration;

/**
 * What an agent on libvirt's test driver finds on the class path to migrate domains: {@link
 * Handover}s (registered in {@code META-INF/services}).
 *
 * <pre>{@code
 * OutgoingMigrations.builder().host("lab01").hypervisor(hypervisor)
 *     .handovers(new TestDriverHandovers())...
 * }</pre>
 *
 * <p>Stateless and thread-safe.
 */
public final class TestDriverHandovers implements Handovers {

  @Override
  public OutgoingMigration handover(OutgoingMigration.Context context, Duration finishRetryFor) {
    return new Handover(context, finishRetryFor);
  }
}
