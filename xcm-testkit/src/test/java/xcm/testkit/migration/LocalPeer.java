package xcm.testkit.migration;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import xcm.agent.migration.IncomingMigrations;
import xcm.agent.migration.Peer;
import xcm.agent.migration.PeerException;
import xcm.mbeans.MigrationJob;

/**
 * The destination's real incoming half ({@link IncomingMigrations} on its own hypervisor), called
 * in-process, with the network's failures injectable: a destination that cannot be reached, and an
 * answer lost after the destination acted (or before it could).
 */
final class LocalPeer implements Peer {
  private final String url;
  private final String host;
  private final IncomingMigrations destination;
  final List<String> calls = new CopyOnWriteArrayList<>();

  private volatile boolean unreachable;
  private volatile String loseAnswerOf;
  private volatile boolean loseBeforeActing;
  private volatile boolean refuseFinish;
  private volatile boolean vanishAfterLosing;

  LocalPeer(String url, String host, IncomingMigrations destination) {
    this.url = url;
    this.host = host;
    this.destination = destination;
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
  public Destination describe() throws PeerException {
    call("describe", () -> {});
    return new Destination(host, "test:///" + host + ".xml", true, "", "", -1);
  }

  @Override
  public MigrationJob completedMigration(String domain) throws PeerException {
    call("completedMigration", () -> {});
    return null;
  }

  @Override
  public String prepareIncoming(String xml) throws PeerException {
    call("prepareIncoming", () -> destination.prepare(xml));
    return host;
  }

  @Override
  public void finishIncoming(String domain) throws PeerException {
    if (refuseFinish) {
      calls.add("finishIncoming");
      throw new PeerException(
          PeerException.Outcome.REFUSED,
          host + ": cannot finish domain '" + domain + "': injected failure");
    }
    call("finishIncoming", () -> destination.finish(domain));
  }

  @Override
  public void abortIncoming(String domain) throws PeerException {
    call("abortIncoming", () -> destination.abort(domain));
  }

  private void call(String operation, Runnable action) throws PeerException {
    calls.add(operation);
    if (unreachable) {
      throw new PeerException(
          PeerException.Outcome.NOT_DELIVERED,
          "cannot reach the agent at " + url + ": connection refused");
    }
    boolean lose = operation.equals(loseAnswerOf);
    if (lose) {
      loseAnswerOf = null;
      unreachable = vanishAfterLosing;
      if (loseBeforeActing) {
        throw new PeerException(
            PeerException.Outcome.UNKNOWN, "no answer from the agent at " + url + " within 30 s");
      }
    }
    try {
      action.run();
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new PeerException(PeerException.Outcome.REFUSED, e.getMessage(), e);
    }
    if (lose) {
      throw new PeerException(
          PeerException.Outcome.UNKNOWN,
          "lost the connection to the agent at " + url + ": Connection reset");
    }
  }
}
