package xcm.testkit.migration;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import xcm.agent.migration.IncomingMigrations;
import xcm.agent.migration.Peer;
import xcm.client.JolokiaException;
import xcm.client.JolokiaException.Outcome;
import xcm.client.JolokiaException.Refusal;
import xcm.mbeans.MigrationJob;

/**
 * The destination's real incoming half ({@link IncomingMigrations} on its own hypervisor), called
 * in-process, with the network's failures injectable: a destination that cannot be reached, and an
 * answer lost after the destination acted (or before it could). Its failures read as the Jolokia
 * client reads them, in the client's words.
 */
final class LocalPeer implements Peer {
  private final String url;
  private final String host;
  private final IncomingMigrations destination;
  private final String caller;
  final List<String> calls = new CopyOnWriteArrayList<>();

  /** The ticket each call carried, in the order of {@link #calls}. */
  final List<String> tickets = new CopyOnWriteArrayList<>();

  private volatile boolean unreachable;
  private volatile String loseAnswerOf;
  private volatile boolean loseBeforeActing;
  private volatile boolean refuseFinish;
  private volatile boolean vanishAfterLosing;
  private volatile boolean turnAwayAfterLosing;
  private volatile boolean turningAway;

  LocalPeer(String url, String host, IncomingMigrations destination) {
    this(url, host, destination, null);
  }

  /**
   * @param caller the Jolokia user the destination sees: {@code agent:lab01} for an agent by its
   *     certificate
   */
  LocalPeer(String url, String host, IncomingMigrations destination, String caller) {
    this.url = url;
    this.host = host;
    this.destination = destination;
    this.caller = caller;
  }

  /** Every call from now on fails before reaching the destination. */
  void unreachable(boolean value) {
    unreachable = value;
  }

  /** The next answer to {@code operation} is lost after the destination carried it out. */
  void loseAnswerOf(String operation) {
    loseAnswerOf = operation;
    loseBeforeActing = false;
  }

  /** The next {@code operation} is lost on its way: unknown to the source, not done. */
  void loseRequestOf(String operation) {
    loseAnswerOf = operation;
    loseBeforeActing = true;
  }

  /** After the next lost request or answer, the destination cannot be reached any more. */
  void vanishAfterLosing() {
    vanishAfterLosing = true;
  }

  /**
   * After the next lost request or answer, the destination's Jolokia turns every call away before
   * any operation runs (as after a restart with other credentials).
   */
  void turnAwayAfterLosing() {
    turnAwayAfterLosing = true;
  }

  /** finishIncoming is refused as if the destination could not run the domain (a fake). */
  void refuseFinish() {
    refuseFinish = true;
  }

  @Override
  public String url() {
    return url;
  }

  /** A test-driver host: its agent advertises no migration URI. */
  @Override
  public Destination describe() throws JolokiaException {
    call("describe", () -> {});
    return new Destination(host, "test:///" + host + ".xml", true, "", "", -1);
  }

  @Override
  public MigrationJob completedMigration(String domain) throws JolokiaException {
    call("completedMigration", () -> {});
    return null;
  }

  @Override
  public String prepareIncoming(String xml, String ticket) throws JolokiaException {
    tickets.add(ticket);
    call("prepareIncoming", () -> destination.prepare(xml, ticket, caller));
    return host;
  }

  @Override
  public void finishIncoming(String domain, String ticket) throws JolokiaException {
    tickets.add(ticket);
    if (refuseFinish) {
      calls.add("finishIncoming");
      throw new JolokiaException(
          Outcome.REFUSED,
          Refusal.NOT_NOW,
          host + ": cannot finish domain '" + domain + "': injected failure",
          null);
    }
    call("finishIncoming", () -> destination.finish(domain, ticket, caller));
  }

  @Override
  public void abortIncoming(String domain, String ticket) throws JolokiaException {
    tickets.add(ticket);
    call("abortIncoming", () -> destination.abort(domain, ticket, caller));
  }

  private void call(String operation, Runnable action) throws JolokiaException {
    calls.add(operation);
    if (unreachable) {
      throw new JolokiaException(
          Outcome.FAILED, null, "agent at " + url + " does not answer: connection refused", null);
    }
    if (turningAway) {
      throw new JolokiaException(
          Outcome.REFUSED,
          Refusal.FORBIDDEN,
          "agent at " + url + " refused the peer credentials (HTTP 401)",
          null);
    }
    boolean lose = operation.equals(loseAnswerOf);
    if (lose) {
      loseAnswerOf = null;
      unreachable = vanishAfterLosing;
      turningAway = turnAwayAfterLosing;
      if (loseBeforeActing) {
        throw new JolokiaException(
            Outcome.UNKNOWN, null, "agent at " + url + " does not answer within 30000 ms", null);
      }
    }
    try {
      action.run();
    } catch (RuntimeException e) {
      throw JolokiaException.ofOperation("agent at " + url, operation, e);
    }
    if (lose) {
      throw new JolokiaException(
          Outcome.UNKNOWN, null, "agent at " + url + " does not answer: Connection reset", null);
    }
  }
}
