package xcm.mbeans;

import java.util.List;

/**
 * {@code xcm:type=HostOperations} on an agent: what the coordinator (and an operator) may ask of
 * one host. Every change goes through the agent's own libvirt connection.
 *
 * <p>Every operation that a coordinator calls to change the host carries the coordinator's epoch
 * last ({@link #EPOCH_PARAM}); the agent refuses one older than the newest it has seen with {@link
 * StaleEpochException} before anything changes, so that a former active coordinator that was only
 * paused moves nothing when it wakes. The hand-over calls between agents carry none: they belong to
 * a migration the epoch already admitted, and carry the coordinator's signed ticket.
 */
@Description(
    "Operations on this host's domains, carried out through the agent's libvirt connection")
public interface HostOperationsMXBean {
  /**
   * How every operation that changes the host describes its last parameter: the fencing token of
   * the coordinator that sends it.
   */
  String EPOCH_PARAM =
      "the sending coordinator's leadership epoch: refused, and nothing done, when older than the"
          + " newest this agent has seen (its Epoch attribute). An operator acting directly passes"
          + " the Epoch attribute (1 while it is 0)";

  @Description(
      "The newest coordinator epoch this agent has seen; 0 before any. A request that changes this"
          + " host carrying an older one comes from a coordinator that is no longer the active one,"
          + " and is refused")
  long getEpoch();

  @Description(
      "Called by a coordinator that has just become the active one: from now on, requests that"
          + " carry an older epoch are refused here, even from a former active that has not yet"
          + " sent this agent anything. Changes nothing else; returns the newest epoch this agent"
          + " has seen")
  long announceEpoch(
      @Param(name = "epoch", value = "the epoch of the coordinator's lease") long epoch);

  @Description(
      "Samples libvirt now, publishes the result and returns its time (milliseconds since the"
          + " epoch)")
  long sampleNow();

  @Description("Defines (but does not start) a domain from libvirt domain XML; returns its name")
  String defineDomain(
      @Param(name = "xml", value = "libvirt domain XML") String xml,
      @Param(name = "epoch", value = EPOCH_PARAM) long epoch);

  @Description("Starts a defined domain that is shut off")
  void startDomain(
      @Param(name = "domain", value = "domain name") String domain,
      @Param(name = "epoch", value = EPOCH_PARAM) long epoch);

  @Description("Powers a running domain off at once, like pulling the plug (virsh destroy)")
  void destroyDomain(
      @Param(name = "domain", value = "domain name") String domain,
      @Param(name = "epoch", value = EPOCH_PARAM) long epoch);

  @Description(
      "Resumes a paused domain (the coordinator uses it to run again the copy a broken migration"
          + " left paused)")
  void resumeDomain(
      @Param(name = "domain", value = "domain name") String domain,
      @Param(name = "epoch", value = EPOCH_PARAM) long epoch);

  @Description("Removes the definition of a domain that is shut off")
  void undefineDomain(
      @Param(name = "domain", value = "domain name") String domain,
      @Param(name = "epoch", value = EPOCH_PARAM) long epoch);

  @Description(
      "Sets a domain's placement rules: writes them into its libvirt metadata (namespace"
          + " urn:xcm:placement), the live definition and, for a persistent domain, the persistent"
          + " one too (only that one while it is shut off); empty rules remove them. Rules that"
          + " cannot be read are refused and nothing is written. The domain's MBean shows them on"
          + " return")
  void setPlacement(
      @Param(name = "domain", value = "domain name") String domain,
      @Param(
              name = "rules",
              value =
                  "rules in text form, e.g. 'apart db; together app soft; on rack=r1; not-on"
                      + " zone=b; prefer ssd=true; avoid rack=r3; pinned; restart high'; empty for"
                      + " none")
          String rules,
      @Param(name = "epoch", value = EPOCH_PARAM) long epoch);

  @Description(
      "The libvirt XML another host would define the domain with: its persistent (inactive)"
          + " definition in migratable form, placement metadata and console passwords included (the"
          + " live one for a domain that has no persistent one); its digest is the domain's"
          + " DefinitionDigest")
  String domainDefinition(@Param(name = "domain", value = "domain name") String domain);

  @Description(
      "Whether this agent reaches the agent at a Jolokia URL now: asks its version, over this"
          + " agent's own TLS identity, within 2 s. Says reached or why not, how long it took, and"
          + " nothing of the answer; an unreachable agent is an answer, not an error. At most 4 run"
          + " at once")
  AgentReach reachesAgent(
      @Param(
              name = "url",
              value = "Jolokia URL of the other host's agent, e.g. https://10.0.0.6:8778/jolokia/")
          String url);

  @Description(
      "Starts a live migration of a running domain to another host and returns its id at once;"
          + " follow it with migration(id)")
  String migrate(
      @Param(name = "domain", value = "domain name") String domain,
      @Param(
              name = "destination",
              value =
                  "Jolokia URL of the destination host's agent, e.g. http://10.0.0.6:8778/jolokia/")
          String destination,
      @Param(
              name = "ticket",
              value =
                  "hand-over ticket the coordinator signed; empty where the agents are not"
                      + " enrolled")
          String ticket,
      @Param(name = "epoch", value = EPOCH_PARAM) long epoch);

  @Description("One migration this agent started, by id")
  MigrationStatus migration(@Param(name = "id", value = "migration id") String id);

  @Description("Migrations this agent started, newest first (the last hour's, at most 100)")
  List<MigrationStatus> getMigrations();

  @Description(
      "libvirt's statistics of the last completed migration of a domain on this host (the incoming"
          + " one on a destination); called by the source host's agent after a live migration")
  MigrationJob completedMigration(@Param(name = "domain", value = "domain name") String domain);

  @Description(
      "Migration phase PREPARE of a hand-over on the destination: defines the incoming domain"
          + " (paused where the driver can start it paused, else shut off); refused where a domain"
          + " of its name or UUID is defined, on hosts that migrate live, and on an enrolled agent"
          + " without the coordinator's ticket for this domain, the calling agent and this host;"
          + " called by the source host's agent")
  void prepareIncoming(
      @Param(name = "xml", value = "the domain's libvirt XML") String xml,
      @Param(
              name = "ticket",
              value =
                  "hand-over ticket the coordinator signed; empty where the agents are not"
                      + " enrolled")
          String ticket);

  @Description(
      "Migration phase FINISH on the destination: runs the incoming domain; called by the source"
          + " host's agent once its copy is paused")
  void finishIncoming(
      @Param(name = "domain", value = "domain name") String domain,
      @Param(
              name = "ticket",
              value =
                  "hand-over ticket the coordinator signed; empty where the agents are not"
                      + " enrolled")
          String ticket);

  @Description(
      "Undoes PREPARE after a failed migration: destroys and undefines the incoming domain, if"
          + " PREPARE defined it and it is not running, else does nothing; called by the source"
          + " host's agent")
  void abortIncoming(
      @Param(name = "domain", value = "domain name") String domain,
      @Param(
              name = "ticket",
              value =
                  "hand-over ticket the coordinator signed; empty where the agents are not"
                      + " enrolled")
          String ticket);

  @Description(
      "The coordinator's FINISH of a move it settles after the agents lost track of it (a restart,"
          + " a cut): runs the incoming copy here, as finishIncoming does")
  void finishIncomingCopy(
      @Param(name = "domain", value = "domain name") String domain,
      @Param(name = "epoch", value = EPOCH_PARAM) long epoch);

  @Description(
      "The coordinator's ABORT of a move it settles after the agents lost track of it: removes the"
          + " incoming copy here if it does not run, as abortIncoming does")
  void abortIncomingCopy(
      @Param(name = "domain", value = "domain name") String domain,
      @Param(name = "epoch", value = EPOCH_PARAM) long epoch);
}
