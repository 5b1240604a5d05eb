package xcm.serve.http;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.util.thread.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a door open under abuse. Every network connection is tracked in one of four phases:
 *
 * <ul>
 *   <li>{@link Phase#HEAD} — the request's line and headers are coming: from the connection's
 *       opening (the TLS handshake included), or from the first byte after an answer; dropped after
 *       the header timeout however steadily the bytes trickle in;
 *   <li>{@link Phase#BODY} — the headers are in and the body is coming; dropped after the body
 *       timeout;
 *   <li>{@link Phase#BUSY} — the request is being answered: no deadline, an operation may take
 *       long;
 *   <li>{@link Phase#IDLE} — answered, waiting for the next request: only Jetty's idle timeout.
 * </ul>
 *
 * <p>A new connection over the cap of its address, or over the door's cap, first makes room by
 * closing the oldest idle connection (of the same address, or of any); when there is none it is
 * closed at once. Kept-alive connections of a well-behaved client therefore never lock it out,
 * while connections that are still sending count until their deadline drops them.
 *
 * <p>A request learns nothing of this: {@link GuardedHandler} tells the guard when a request's
 * headers are in, when its body was read and when it was answered. Thread-safe.
 */
final class ConnectionGuard implements Connection.Listener {
  private static final Logger log = LoggerFactory.getLogger(ConnectionGuard.class);

  enum Phase {
    HEAD,
    BODY,
    BUSY,
    IDLE
  }

  /** One network connection: its address, phase, since when, and its bytes at its last answer. */
  private static final class Tracked {
    final Connection connection;
    final InetAddress address;
    Phase phase = Phase.HEAD;
    long since;
    long bytesAtAnswer;

    Tracked(Connection connection, InetAddress address, long now) {
      this.connection = connection;
      this.address = address;
      this.since = now;
    }
  }

  private final String door;
  private final DoorLimits limits;
  private final LongSupplier nanoClock;
  private final Map<Connection, Tracked> tracked = new IdentityHashMap<>();
  private final Map<InetAddress, Integer> perAddress = new HashMap<>();
  private final AtomicLong refused = new AtomicLong();
  private final AtomicLong timedOut = new AtomicLong();
  private volatile boolean stopped;

  ConnectionGuard(String door, DoorLimits limits, LongSupplier nanoClock) {
    this.door = door;
    this.limits = limits;
    this.nanoClock = nanoClock;
  }

  /** Checks the deadlines every {@code period} on {@code scheduler}, until {@link #stop()}. */
  void start(Scheduler scheduler) {
    long period = Math.max(50, Math.min(1000, limits.headerTimeout().toMillis() / 10));
    Runnable sweep =
        new Runnable() {
          @Override
          public void run() {
            if (stopped) {
              return;
            }
            try {
              sweep();
            } finally {
              scheduler.schedule(this, period, TimeUnit.MILLISECONDS);
            }
          }
        };
    scheduler.schedule(sweep, period, TimeUnit.MILLISECONDS);
  }

  void stop() {
    stopped = true;
  }

  /** Connections closed at once for being over a cap. */
  long refused() {
    return refused.get();
  }

  /** Connections dropped for taking too long over a request's headers or body. */
  long timedOut() {
    return timedOut.get();
  }

  @Override
  public void onOpened(Connection connection) {
    // Behind TLS, Jetty opens the HTTP connection on a wrapping end point: the network connection
    // below it is the one tracked.
    if (connection.getEndPoint() instanceof EndPoint.Wrapper) {
      return;
    }
    InetAddress address = addressOf(connection.getEndPoint().getRemoteSocketAddress());
    Tracked evicted = null;
    boolean refuse = false;
    synchronized (this) {
      if (perAddress.getOrDefault(address, 0) >= limits.maxConnectionsPerAddress()) {
        evicted = oldestIdle(address);
        refuse = evicted == null;
      } else if (tracked.size() >= limits.maxConnections()) {
        evicted = oldestIdle(null);
        refuse = evicted == null;
      }
      if (evicted != null) {
        forget(evicted);
      }
      if (!refuse) {
        tracked.put(connection, new Tracked(connection, address, nanoClock.getAsLong()));
        perAddress.merge(address, 1, Integer::sum);
      }
    }
    if (evicted != null) {
      evicted.connection.getEndPoint().close();
    }
    if (refuse) {
      long n = refused.incrementAndGet();
      if (Long.bitCount(n) == 1) {
        // The 1st, 2nd, 4th, 8th...: a flood leaves a few lines, not one per connection.
        log.warn(
            "{}: connection from {} refused: over the cap of {} per address or {} in all"
                + " ({} refused so far)",
            door,
            address == null ? "unknown" : address.getHostAddress(),
            limits.maxConnectionsPerAddress(),
            limits.maxConnections(),
            n);
      }
      connection.getEndPoint().close();
    }
  }

  @Override
  public void onClosed(Connection connection) {
    synchronized (this) {
      Tracked t = tracked.get(connection);
      if (t != null) {
        forget(t);
      }
    }
  }

  private void forget(Tracked t) {
    tracked.remove(t.connection);
    perAddress.computeIfPresent(t.address, (a, n) -> n == 1 ? null : n - 1);
  }

  private Tracked oldestIdle(InetAddress address) {
    Tracked oldest = null;
    for (Tracked t : tracked.values()) {
      if (t.phase == Phase.IDLE
          && (address == null || address.equals(t.address))
          && (oldest == null || t.since - oldest.since < 0)) {
        oldest = t;
      }
    }
    return oldest;
  }

  /** A request's headers are in; its body follows if {@code hasBody}. */
  void headersIn(Connection network, boolean hasBody) {
    enter(network, hasBody ? Phase.BODY : Phase.BUSY);
  }

  /** The request's body was read to its end. */
  void bodyIn(Connection network) {
    enter(network, Phase.BUSY);
  }

  /** The request was answered; the connection waits for the next one. */
  void answered(Connection network) {
    synchronized (this) {
      Tracked t = tracked.get(network);
      if (t != null) {
        t.phase = Phase.IDLE;
        t.since = nanoClock.getAsLong();
        t.bytesAtAnswer = network.getBytesIn();
      }
    }
  }

  private void enter(Connection network, Phase phase) {
    synchronized (this) {
      Tracked t = tracked.get(network);
      if (t != null) {
        t.phase = phase;
        t.since = nanoClock.getAsLong();
      }
    }
  }

  /** Drops connections past their deadline; notices idle ones that started a request. */
  void sweep() {
    long now = nanoClock.getAsLong();
    long header = limits.headerTimeout().toNanos();
    long body = limits.bodyTimeout().toNanos();
    List<Connection> late = new ArrayList<>();
    synchronized (this) {
      for (Tracked t : tracked.values()) {
        switch (t.phase) {
          case IDLE -> {
            if (t.connection.getBytesIn() != t.bytesAtAnswer) {
              t.phase = Phase.HEAD;
              t.since = now;
            }
          }
          case HEAD -> {
            if (now - t.since > header) {
              late.add(t.connection);
            }
          }
          case BODY -> {
            if (now - t.since > body) {
              late.add(t.connection);
            }
          }
          case BUSY -> {
            // An operation may take long; the client waits for it.
          }
        }
      }
    }
    for (Connection c : late) {
      long n = timedOut.incrementAndGet();
      if (Long.bitCount(n) == 1) {
        log.warn(
            "{}: connection from {} dropped: its request did not arrive within the header timeout"
                + " ({}) or body timeout ({}) ({} dropped so far)",
            door,
            describe(c),
            limits.headerTimeout(),
            limits.bodyTimeout(),
            n);
      }
      c.getEndPoint().close();
    }
  }

  /** The phase of the network connection {@code network} is in, for tests; null if untracked. */
  synchronized Phase phase(Connection network) {
    Tracked t = tracked.get(network);
    return t == null ? null : t.phase;
  }

  private static String describe(Connection c) {
    InetAddress address = addressOf(c.getEndPoint().getRemoteSocketAddress());
    return address == null ? "unknown" : address.getHostAddress();
  }

  private static InetAddress addressOf(SocketAddress remote) {
    return remote instanceof InetSocketAddress inet ? inet.getAddress() : null;
  }

  /** The network connection under a request's connection: below TLS, if any. */
  static Connection network(Connection connection) {
    EndPoint endPoint = connection.getEndPoint();
    while (endPoint instanceof EndPoint.Wrapper wrapper) {
      endPoint = wrapper.unwrap();
    }
    return endPoint.getConnection();
  }
}
