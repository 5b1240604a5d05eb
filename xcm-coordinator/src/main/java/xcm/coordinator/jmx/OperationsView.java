package xcm.coordinator.jmx;

import static xcm.coordinator.jmx.Arguments.required;

import java.util.List;
import xcm.coordinator.collect.Membership;
import xcm.coordinator.failure.FailureHandler;
import xcm.coordinator.operation.OperationService;
import xcm.coordinator.operation.Requester;
import xcm.mbeans.AuditEntry;
import xcm.mbeans.OperationsMXBean;
import xcm.mbeans.PlanView;

/**
 * {@code xcm:type=Operations}: every action an operator or tool may ask, each recorded with who
 * asked and through which door (JMX, Jolokia or the CLI).
 */
final class OperationsView implements OperationsMXBean {
  private final Membership membership;
  private final OperationService operations;
  private final FailureHandler failures;

  OperationsView(Membership membership, OperationService operations, FailureHandler failures) {
    this.membership = membership;
    this.operations = operations;
    this.failures = failures;
  }

  private Requester caller() {
    return Requester.ofCurrentCall();
  }

  @Override
  public List<String> getUnsettledMoves() {
    return operations.unsettledMoves();
  }

  @Override
  public boolean isRecovering() {
    return operations.recovering();
  }

  @Override
  public List<AuditEntry> getAuditLog() {
    return operations.audit().entries().stream()
        .map(
            e ->
                new AuditEntry(
                    e.at().toEpochMilli(),
                    e.requester().door(),
                    e.requester().user(),
                    e.action(),
                    e.result()))
        .toList();
  }

  @Override
  public String migrate(String domain, String toHost) {
    return operations.migrate(
        required(domain, "migrate", "domain"),
        required(toHost, "migrate", "toHost"),
        false,
        caller());
  }

  @Override
  public String getPlanningSnapshot() {
    return operations.planningSnapshot();
  }

  @Override
  public String forceMigrate(String domain, String toHost) {
    return operations.migrate(
        required(domain, "forceMigrate", "domain"),
        required(toHost, "forceMigrate", "toHost"),
        true,
        caller());
  }

  @Override
  public PlanView planBalance(String policy) {
    return operations.planBalance(required(policy, "planBalance", "policy"));
  }

  @Override
  public String balance(String policy, boolean dryRun) {
    return operations.balance(required(policy, "balance", "policy"), dryRun, caller());
  }

  @Override
  public String drain(String host, boolean dryRun) {
    return operations.drain(required(host, "drain", "host"), dryRun, false, caller());
  }

  @Override
  public String forceDrain(String host, boolean dryRun) {
    return operations.drain(required(host, "forceDrain", "host"), dryRun, true, caller());
  }

  @Override
  public void activate(String host) {
    operations.activate(required(host, "activate", "host"), caller());
  }

  @Override
  public void confirmDown(String host) {
    Requester who = caller();
    String name = required(host, "confirmDown", "host");
    operations
        .audit()
        .audited(
            who,
            "confirm-down " + name,
            () -> {
              operations.requireActive();
              failures.confirmDown(name, who);
              return "host is FAILED: its domains restart elsewhere";
            },
            String::valueOf);
  }

  @Override
  public void cancel(String operationId) {
    operations.cancel(required(operationId, "cancel", "operationId"), caller());
  }

  @Override
  public String addHost(String url) {
    required(url, "addHost", "url");
    return operations
        .audit()
        .audited(caller(), "addHost " + url, () -> membership.addHost(url), host -> host);
  }

  @Override
  public void removeHost(String host) {
    required(host, "removeHost", "host");
    operations
        .audit()
        .audited(
            caller(),
            "removeHost " + host,
            () -> membership.removeHost(host),
            revoked -> revoked ? "done, its certificate revoked" : "done");
  }
}
