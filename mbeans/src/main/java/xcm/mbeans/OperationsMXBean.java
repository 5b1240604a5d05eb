package xcm.mbeans;

/** {@code xcm:type=Operations} on the coordinator: what operators and tools ask of the cluster. */
@Description(
    "Cluster operations: migrate, balance, drain, activate, cancel; hosts joining and leaving")
public interface OperationsMXBean {
  @Description(
      "Every request asked of the coordinator, newest first (the last 1,000): when, through which"
          + " door, who, what, and the result or why it was refused")
  java.util.List<AuditEntry> getAuditLog();

  @Description(
      "Moves whose end is not known yet (UNSETTLED), one line each: domain, hosts, operation,"
          + " why. Their domains move no further until the coordinator has settled them")
  java.util.List<String> getUnsettledMoves();

  @Description(
      "True while the coordinator settles the operations it ran before it restarted; requests"
          + " that would act (not dry runs) are refused until then")
  boolean isRecovering();

  @Description(
      "What the planners see now, as snapshot JSON: hosts with capacity and labels, domains with"
          + " placement rules, pins and cooldowns. Save it and ./xcm plan --snapshot FILE plans"
          + " offline what a balance or drain would plan live")
  String getPlanningSnapshot();

  @Description(
      "Migrates one domain live to another host; returns the operation id at once (follow it at"
          + " xcm:type=Operation,id=<id>)")
  String migrate(
      @Param(name = "domain", value = "domain name") String domain,
      @Param(name = "toHost", value = "destination host name") String toHost);

  @Description(
      "Migrates one domain live to another host even when that breaks its hard placement rules"
          + " (audited as forced); refused as migrate is for anything else. Returns the operation"
          + " id at once")
  String forceMigrate(
      @Param(name = "domain", value = "domain name") String domain,
      @Param(name = "toHost", value = "destination host name") String toHost);

  @Description(
      "Plans a balance without acting: the moves, the score before and after each, the"
          + " lower bound on moves")
  PlanView planBalance(
      @Param(
              name = "policy",
              value =
                  "weighted or domain-count, optionally with parameters:"
                      + " domain-count,target=strict")
          String policy);

  @Description("Plans a balance and, unless dryRun, runs it; returns the operation id at once")
  String balance(
      @Param(name = "policy", value = "weighted or domain-count[,key=value...]") String policy,
      @Param(name = "dryRun", value = "true: plan only") boolean dryRun);

  @Description(
      "Evacuates a host: it goes DRAINING at once, its domains move to the other ACTIVE hosts, then"
          + " it is MAINTENANCE; refused up front, naming the domains that fit nowhere, if the"
          + " others cannot hold them. Returns the operation id at once")
  String drain(
      @Param(name = "host", value = "host name") String host,
      @Param(name = "dryRun", value = "true: plan only, the host stays as it is") boolean dryRun);

  @Description(
      "Drains a host as drain does, moving also the domains whose rules pin them (audited as"
          + " forced); their other hard rules still hold. Returns the operation id at once")
  String forceDrain(
      @Param(name = "host", value = "host name") String host,
      @Param(name = "dryRun", value = "true: plan only, the host stays as it is") boolean dryRun);

  @Description("Returns a host in MAINTENANCE (or DRAINING with no drain running) to service")
  void activate(@Param(name = "host", value = "host name") String host);

  @Description(
      "Confirms that a host which stopped answering is off (powered down, unplugged), when its"
          + " fence device cannot: the host becomes FAILED and its domains restart on other hosts."
          + " Refused for a host whose agent answers or that is being fenced. Audited with who said"
          + " it")
  void confirmDown(@Param(name = "host", value = "host name") String host);

  @Description("Stops queuing further moves of an operation; moves in flight finish")
  void cancel(@Param(name = "operationId", value = "operation id") String operationId);

  @Description(
      "Adds the agent at a Jolokia URL to the cluster after reading it once; returns the host's"
          + " name. Adding a host again is harmless.")
  String addHost(
      @Param(name = "url", value = "the agent's Jolokia URL, e.g. http://10.0.0.5:8778/jolokia/")
          String url);

  @Description(
      "Stops collecting a host and revokes its certificate when it was enrolled (it must enrol"
          + " again to come back); it shows as REMOVED until the dead-host collector drops it from"
          + " every view and metric")
  void removeHost(@Param(name = "host", value = "host name") String host);
}
