package xcm.agent.libvirt;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import xcm.mbeans.DomainState;
import xcm.mbeans.MigrationJob;
import xcm.mbeans.placement.PlacementRules;

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

  /**
   * The host's libvirt UUID ({@code <capabilities><host><uuid>}, from the machine's SMBIOS or
   * libvirtd.conf's {@code host_uuid}): what an agent's certificate binds it to. libvirt's test
   * driver reports none.
   *
   * @throws HypervisorException naming the URI when libvirt reports none, or one that is unreadable
   */
  UUID hostUuid() throws HypervisorException;

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

  /**
   * Starts a defined, shut-off domain paused (libvirt's {@code VIR_DOMAIN_START_PAUSED}), where the
   * driver can: returns true and the domain is paused. Where the driver cannot (libvirt's test
   * driver), returns false and the domain stays shut off.
   */
  boolean startDomainPaused(String name) throws HypervisorException;

  /** Pauses a running domain: it keeps its memory and devices but runs no more (virsh suspend). */
  void suspendDomain(String name) throws HypervisorException;

  /** Runs a paused domain again (virsh resume). */
  void resumeDomain(String name) throws HypervisorException;

  /** The domain's state now, read from libvirt rather than from the last sample. */
  DomainState domainState(String name) throws HypervisorException;

  /** The domain's current libvirt XML. */
  String domainXml(String name) throws HypervisorException;

  /**
   * The XML another host would define the domain with: libvirt's persistent definition ({@code
   * VIR_DOMAIN_XML_INACTIVE}, the live one for a transient domain) in migratable form ({@code
   * VIR_DOMAIN_XML_MIGRATABLE}), with its secrets (console passwords: {@code
   * VIR_DOMAIN_XML_SECURE}). Its {@code xcm.mbeans.DefinitionDigest} is what {@link #readDomains}
   * reports as {@link DomainStats#definitionDigest()}.
   *
   * @throws DomainNotFoundException naming the domain when there is none of that name
   */
  String domainDefinition(String name) throws HypervisorException;

  /**
   * Writes the domain's placement rules into its libvirt metadata, replacing what it held: the
   * element {@code xcm.mbeans.placement.PlacementXml} writes, in that class's namespace. For a
   * running domain in its live definition and, when it is persistent, in its persistent one too;
   * for a shut-off domain in its persistent one. {@link PlacementRules#NONE} removes the element.
   * The next {@link #readDomains} shows the rules.
   *
   * @throws HypervisorException naming the domain and libvirt's reason; nothing was written
   */
  void setPlacement(String name, PlacementRules rules) throws HypervisorException;

  /**
   * True when the driver migrates domains itself (QEMU): {@link #migrateLive} works. False for
   * libvirt's test driver, whose domains the agents hand over instead.
   */
  boolean canMigrateLive();

  /**
   * Live-migrates a running domain with libvirt's own migration (virDomainMigrateToURI3): peer to
   * peer (this host's libvirtd connects to the destination's), live, persistent on the destination,
   * undefined here once it runs there. Blocks until libvirt ends the job; {@link #abortJob} from
   * another thread ends it early. libvirt keeps the domain running on exactly one host: when this
   * throws, it runs here as before, unless the error says otherwise.
   *
   * @throws HypervisorException naming the domain, the destination and libvirt's reason
   */
  void migrateLive(String domain, LiveMigrationTarget target) throws HypervisorException;

  /** libvirt's statistics of the domain's job running now; empty when none runs. */
  Optional<MigrationJob> runningJob(String domain) throws HypervisorException;

  /**
   * libvirt's statistics of the domain's last completed job (kept for later reads); empty when
   * libvirt has none, e.g. when the domain never migrated here.
   */
  Optional<MigrationJob> completedJob(String domain) throws HypervisorException;

  /** Aborts the domain's running job (a migration that does not converge, say). */
  void abortJob(String domain) throws HypervisorException;

  @Override
  void close();
}
