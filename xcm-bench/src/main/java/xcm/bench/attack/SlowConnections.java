package xcm.bench.attack;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * Slow, unauthenticated clients as the attack on main used them (xcm-serve's test {@code
 * SlowClients} does the same for plain doors): each opens a connection from one of the given
 * loopback addresses, completes the TLS handshake if the door speaks TLS (as any client without a
 * certificate may), sends the start of a request and then one more header byte a second, never
 * ending the headers. A connection the server closes is counted and opened again, so that as many
 * stay open as the server lets.
 *
 * <p>Thread-safe.
 */
final class SlowConnections implements AutoCloseable {
  private final URI door;
  private final Optional<SSLContext> tls;
  private final byte[] start;
  private final List<Slot> slots = new ArrayList<>();
  private final ScheduledExecutorService ticker =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "slow-connections");
            t.setDaemon(true);
            return t;
          });
  private int dropped;
  private int refused;

  private static final class Slot {
    final String localAddress;
    Socket socket;

    Slot(String localAddress) {
      this.localAddress = localAddress;
    }
  }

  private SlowConnections(URI door, Optional<SSLContext> tls) {
    this.door = door;
    this.tls = tls;
    this.start =
        ("POST " + door.getRawPath() + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n")
            .getBytes(StandardCharsets.US_ASCII);
  }

  /**
   * Opens {@code count} slow connections to the door at {@code url}, spread evenly over {@code
   * localAddresses}; over TLS with {@code tls} when the URL is https.
   */
  static SlowConnections open(
      String url, int count, List<String> localAddresses, Optional<SSLContext> tls) {
    SlowConnections clients = new SlowConnections(URI.create(url), tls);
    synchronized (clients) {
      for (int i = 0; i < count; i++) {
        Slot slot = new Slot(localAddresses.get(i % localAddresses.size()));
        clients.slots.add(slot);
        clients.connect(slot);
      }
    }
    clients.ticker.scheduleAtFixedRate(clients::tick, 1, 1, TimeUnit.SECONDS);
    return clients;
  }

  private void connect(Slot slot) {
    try {
      Socket socket = new Socket();
      socket.bind(new InetSocketAddress(slot.localAddress, 0));
      socket.connect(new InetSocketAddress(door.getHost(), door.getPort()), 5000);
      if (door.getScheme().equals("https")) {
        SSLContext context =
            tls.orElseThrow(() -> new IllegalStateException("no TLS given for " + door));
        SSLSocket secure =
            (SSLSocket)
                context
                    .getSocketFactory()
                    .createSocket(socket, door.getHost(), door.getPort(), true);
        secure.setSoTimeout(5000);
        secure.startHandshake();
        socket = secure;
      }
      socket.getOutputStream().write(start);
      socket.getOutputStream().flush();
      slot.socket = socket;
    } catch (IOException e) {
      // Refused or closed at once (a cap on connections): counted, tried again at the next tick.
      refused++;
      slot.socket = null;
    }
  }

  /** One more header byte on every connection; a closed one is counted and opened again. */
  private synchronized void tick() {
    for (Slot slot : slots) {
      if (slot.socket == null) {
        connect(slot);
        continue;
      }
      try {
        OutputStream out = slot.socket.getOutputStream();
        out.write('a');
        out.flush();
      } catch (IOException closed) {
        // The server gave up on this one (its header timeout): counted, and opened again.
        dropped++;
        try {
          slot.socket.close();
        } catch (IOException e) {
          refused++;
        }
        connect(slot);
      }
    }
  }

  /** How many times the server closed one of these connections so far. */
  synchronized int dropped() {
    return dropped;
  }

  /** How many times a connection could not be opened. */
  synchronized int refused() {
    return refused;
  }

  /** How many of these connections are open on this side now. */
  synchronized int open() {
    int n = 0;
    for (Slot slot : slots) {
      if (slot.socket != null && !slot.socket.isClosed()) {
        n++;
      }
    }
    return n;
  }

  @Override
  public synchronized void close() {
    ticker.shutdownNow();
    for (Slot slot : slots) {
      if (slot.socket != null) {
        try {
          slot.socket.close();
        } catch (IOException e) {
          refused++;
        }
      }
    }
  }
}
