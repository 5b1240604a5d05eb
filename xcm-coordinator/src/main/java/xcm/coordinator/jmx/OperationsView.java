package xcm.coordinator.jmx;

import java.util.List;
import xcm.coordinator.collect.ClusterCollector;
import xcm.coordinator.enrol.EnrolmentDesk;
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
  private final ClusterCollector collector;
  private final OperationService operations;
  private final EnrolmentDesk enrolment;

  OperationsView(ClusterCollector collector, OperationService operations, EnrolmentDesk enrolment) {
    this.collector = collector;
    this.operations = operations;
    this.enrolment = enrolment;
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
        required(domain, "migrate", "domain"), required(toHost, "migrate", "toHost"), caller());
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
    return operations.drain(required(host, "drain", "host"), dryRun, caller());
  }

  @Override
  public void activate(String host) {
    operations.activate(required(host, "activate", "host"), caller());
  }

  @Override
  public void cancel(String operationId) {
    operations.cancel(required(operationId, "cancel", "operationId"), caller());
  }

  @Override
  public String addHost(String url) {
    required(url, "addHost", "url");
    Requester who = caller();
    try {
      String host = collector.addHost(url);
      operations.audit().record(who, "addHost " + url, host);
      return host;
    } catch (RuntimeException e) {
      operations.audit().record(who, "addHost " + url, "refused: " + e.getMessage());
      throw e;
    }
  }

  @Override
  public void removeHost(String host) {
    required(host, "removeHost", "host");
    Requester who = caller();
    try {
      collector.removeHost(host);
      boolean revoked = enrolment.revoke(host);
      operations
          .audit()
          .record(who, "removeHost " + host, revoked ? "done, its certificate revoked" : "done");
    } catch (RuntimeException e) {
      operations.audit().record(who, "removeHost " + host, "refused: " + e.getMessage());
      throw e;
    }
  }

  /** JMX and Jolokia clients may pass null (JSON null); refused like any other bad argument. */
  private static String required(String value, String operation, String parameter) {
    if (value == null) {
      throw new IllegalArgumentException(operation + ": " + parameter + " is required, found null");
    }
    return value;
  }
}
