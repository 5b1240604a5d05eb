package xcm.testkit.libvirt;

import java.nio.file.Path;
import xcm.agent.libvirt.Hypervisor;
import xcm.agent.libvirt.HypervisorException;
import xcm.agent.libvirt.PersistentHypervisors;

/**
 * What the agent's {@code xcm.agent.libvirt-state} finds on the class path: {@link
 * PersistentTestHypervisor}s (registered in {@code META-INF/services}).
 *
 * <p>Stateless and thread-safe.
 */
public final class PersistentTestHypervisors implements PersistentHypervisors {

  @Override
  public Hypervisor open(String uri, Path state) throws HypervisorException {
    return PersistentTestHypervisor.open(uri, state);
  }
}
