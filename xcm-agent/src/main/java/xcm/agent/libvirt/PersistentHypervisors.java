package xcm.agent.libvirt;

import java.nio.file.Path;

/**
 * Opens hypervisors whose domains are kept in a state file, so that they outlive the agent as a
 * real hypervisor's do: what {@code xcm.agent.libvirt-state} asks for on libvirt's test driver,
 * whose domains otherwise live only as long as its connection. The agent finds an implementation
 * with {@link java.util.ServiceLoader} (the test kit, {@code xcm-testkit}, has one); without one,
 * an agent given a state file does not start.
 *
 * <p>Implementations are thread-safe and have a public no-argument constructor.
 */
public interface PersistentHypervisors {

  /**
   * Opens the host of {@code uri} from {@code state} when that file exists, else from {@code uri},
   * and keeps its domains in {@code state} from then on.
   *
   * @throws HypervisorException naming the URI or the file, when either cannot be used
   */
  Hypervisor open(String uri, Path state) throws HypervisorException;
}
