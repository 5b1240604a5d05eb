package xcm.testkit.attack;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Slow-loris clients, as the attack on main used them: each opens a connection from one of the
 * given local addresses, sends the start of a request, then one more header byte every second and
 * never ends the headers. A connection the server closes is counted and opened again, so that as
 * many stay open as the server lets. Every connection is to loopback; all stop on {@link #close()}.
 */
public final class SlowClients implements AutoCloseable {
  private final InetSocketAddress server;
  private final byte[] start;
  private final List<Slot> slots = new ArrayList<>();
  private final ScheduledExecutorService ticker =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "slow-clients");
            t.setDaemon(true);
            return t;
          });
  private int dropped;

  private static final class Slot {
    final String localAddress;
    SocketChannel channel;

    Slot(String localAddress) {
      this.localAddress = localAddress;
    }
  }

  private SlowClients(InetSocketAddress server, String requestStart) {
    this.server = server;
    this.start = requestStart.getBytes(StandardCharsets.US_ASCII);
  }

  /**
   * Opens {@code count} slow connections to {@code port} on 127.0.0.1, spread evenly over {@code
   * localAddresses} (loopback addresses such as 127.0.0.2), each starting with {@code requestStart}
   * (a request line and maybe some headers, each ending in CRLF).
   */
  public static SlowClients open(
      int port, int count, List<String> localAddresses, String requestStart) throws IOException {
    SlowClients clients = new SlowClients(new InetSocketAddress("127.0.0.1", port), requestStart);
    for (int i = 0; i < count; i++) {
      Slot slot = new Slot(localAddresses.get(i % localAddresses.size()));
      clients.connect(slot);
      clients.slots.add(slot);
    }
    clients.ticker.scheduleAtFixedRate(clients::tick, 1, 1, TimeUnit.SECONDS);
    return clients;
  }

  private void connect(Slot slot) throws IOException {
    SocketChannel channel = SocketChannel.open();
    channel.bind(new InetSocketAddress(slot.localAddress, 0));
    channel.connect(server);
    channel.configureBlocking(false);
    channel.write(ByteBuffer.wrap(start));
    slot.channel = channel;
  }

  /** One more header byte on every connection; a closed one is counted and opened again. */
  private synchronized void tick() {
    ByteBuffer scratch = ByteBuffer.allocate(4096);
    for (Slot slot : slots) {
      try {
        scratch.clear();
        // An answer (400, 408) or the end of the stream: the server gave up on this one.
        if (slot.channel.read(scratch) != 0) {
          throw new IOException("closed by the server");
        }
        slot.channel.write(ByteBuffer.wrap(new byte[] {'a'}));
      } catch (IOException closed) {
        dropped++;
        try {
          slot.channel.close();
          connect(slot);
        } catch (IOException e) {
          // Refused for now; tried again at the next tick.
        }
      }
    }
  }

  /** How many times the server closed one of these connections so far. */
  public synchronized int dropped() {
    return dropped;
  }

  /** How many of these connections are open on this side now. */
  public synchronized int open() {
    int n = 0;
    for (Slot slot : slots) {
      if (slot.channel != null && slot.channel.isOpen()) {
        n++;
      }
    }
    return n;
  }

  @Override
  public synchronized void close() {
    ticker.shutdownNow();
    for (Slot slot : slots) {
      try {
        slot.channel.close();
      } catch (IOException e) {
        // Closing anyway.
      }
    }
  }
}
