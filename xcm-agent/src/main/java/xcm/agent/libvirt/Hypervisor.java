package xcm.agent.libvirt;

import java.util.List;

/**
 * One host's hypervisor, read and changed through a single connection.
 *
 * <p>The agent holds exactly one {@code Hypervisor} per host: with libvirt's test driver every
 * connection gets a private copy of the node, so anything that changes domains must go through the
 * same instance the sampler reads.
 *
 * <p>Implementations are thread-safe.
 */
public interface Hypervisor extends AutoCloseable {

  /** The URI this hypervisor was opened on. */
  String uri();

  /** The host name the hypervisor reports. */
  String hostName() throws HypervisorException;

  /** CPUs and memory of the host. */
  NodeCapacity capacity() throws HypervisorException;

  /**
   * Reads every domain defined on the host, active or not. One domain that cannot be read becomes a
   * {@link DomainReadFailure} in the list and never hides the others; a domain that vanishes while
   * being read is left out.
   *
   * @throws HypervisorUnavailableException when the connection itself is lost
   */
  List<DomainReading> readDomains() throws HypervisorException;

  /** True while the connection to the hypervisor works. */
  boolean isAlive();

  /** Drops the connection and opens a new one on the same URI. */
  void reconnect() throws HypervisorUnavailableException;

  /** Defines a domain from libvirt domain XML without starting it; returns its name. */
  String defineDomain(String xml) throws HypervisorException;

  /** Starts a defined, shut-off domain. */
  void startDomain(String name) throws HypervisorException;

  /** Powers a running domain off at once. */
  void destroyDomain(String name) throws HypervisorException;

  /** Removes the definition of a shut-off domain. */
  void undefineDomain(String name) throws HypervisorException;

  /** The domain's current libvirt XML. */
  String domainXml(String name) throws HypervisorException;

  @Override
  void close();
}
