package xcm.bench.fleet;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;

/**
 * Many HTTPS endpoints in one process, each its own listening socket with its own TLS identity,
 * served by a few selector threads: the JDK's {@code HttpsServer} spends two threads on each
 * server, 20,000 for a fleet of 10,000, where this spends {@code threads}. Each endpoint answers
 * through its own {@link TlsConnection.Answerer}, always on the same thread, so an answerer needs
 * no locking.
 *
 * <pre>{@code
 * try (FleetServer server = FleetServer.start(endpoints, 2)) {
 *   ...
 * }
 * }</pre>
 *
 * <p>Thread-safe.
 */
final class FleetServer implements AutoCloseable {
  /** An endpoint: where it listens, the TLS it speaks, who answers. */
  record Endpoint(InetSocketAddress address, SSLContext tls, TlsConnection.Answerer answerer) {}

  private final List<Loop> loops = new ArrayList<>();
  private int opened;
  private final AtomicLong accepted = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();

  private FleetServer() {}

  /**
   * Binds every endpoint, then serves them on {@code threads} threads.
   *
   * @throws IOException naming the address that cannot be bound; nothing is left open then
   */
  static FleetServer start(List<Endpoint> endpoints, int threads) throws IOException {
    FleetServer server = new FleetServer();
    try {
      for (int i = 0; i < threads; i++) {
        server.loops.add(server.new Loop(Selector.open(), "xcm-fleet-" + i));
      }
      server.open(endpoints);
    } catch (IOException | RuntimeException e) {
      server.close();
      throw e;
    }
    server.loops.forEach(loop -> loop.thread.start());
    return server;
  }

  /**
   * Binds more endpoints and serves them from now on.
   *
   * @throws IOException naming the address that cannot be bound
   */
  synchronized void open(List<Endpoint> endpoints) throws IOException {
    for (Endpoint endpoint : endpoints) {
      ServerSocketChannel listener = ServerSocketChannel.open();
      try {
        listener.setOption(StandardSocketOptions.SO_REUSEADDR, true);
        listener.bind(endpoint.address(), 128);
        listener.configureBlocking(false);
      } catch (IOException e) {
        listener.close();
        throw new IOException("cannot listen on " + endpoint.address() + ": " + e.getMessage(), e);
      }
      // An endpoint stays with one thread, so its answerer is only ever called from that one.
      Loop loop = loops.get(opened++ % loops.size());
      loop.pending.add(new Listener(listener, endpoint));
      loop.selector.wakeup();
    }
  }

  private record Listener(ServerSocketChannel channel, Endpoint endpoint) {}

  /** Connections accepted so far. */
  long accepted() {
    return accepted.get();
  }

  /** Connections closed because of an error (a handshake refused, a request unreadable). */
  long failed() {
    return failed.get();
  }

  @Override
  public void close() {
    for (Loop loop : loops) {
      loop.thread.interrupt();
      loop.selector.wakeup();
    }
    for (Loop loop : loops) {
      try {
        loop.thread.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      for (Listener l : loop.pending) {
        try {
          l.channel().close();
        } catch (IOException e) {
          // Stopping: as below.
        }
      }
      for (SelectionKey key : loop.selector.keys()) {
        try {
          key.channel().close();
        } catch (IOException e) {
          // Stopping: a channel that will not close is dropped with the selector.
        }
      }
      try {
        loop.selector.close();
      } catch (IOException e) {
        // As above.
      }
    }
  }

  /** One selector thread and the endpoints and connections registered with it. */
  private final class Loop implements Runnable {
    final Selector selector;
    final Thread thread;

    /** Listeners opened, to be registered by the loop's own thread (registering blocks else). */
    final Queue<Listener> pending = new ConcurrentLinkedQueue<>();

    Loop(Selector selector, String name) {
      this.selector = selector;
      this.thread = new Thread(this, name);
      this.thread.setDaemon(true);
    }

    @Override
    public void run() {
      while (!Thread.currentThread().isInterrupted()) {
        try {
          for (Listener l; (l = pending.poll()) != null; ) {
            l.channel().register(selector, SelectionKey.OP_ACCEPT, l.endpoint());
          }
          selector.select();
        } catch (IOException e) {
          return;
        }
        for (var keys = selector.selectedKeys().iterator(); keys.hasNext(); ) {
          SelectionKey key = keys.next();
          keys.remove();
          handle(key);
        }
      }
    }

    private void handle(SelectionKey key) {
      if (!key.isValid()) {
        return;
      }
      if (key.isAcceptable()) {
        accept(key);
        return;
      }
      TlsConnection connection = (TlsConnection) key.attachment();
      try {
        if (key.isWritable()) {
          connection.writable();
        } else if (key.isReadable()) {
          connection.readable();
        }
      } catch (IOException | RuntimeException e) {
        // A client that went away mid-exchange, or a handshake refused: the connection ends, the
        // endpoint goes on.
        failed.incrementAndGet();
        connection.close();
      }
    }

    private void accept(SelectionKey key) {
      Endpoint endpoint = (Endpoint) key.attachment();
      SocketChannel channel;
      try {
        channel = ((ServerSocketChannel) key.channel()).accept();
        if (channel == null) {
          return;
        }
        channel.configureBlocking(false);
        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        SelectionKey connectionKey = channel.register(selector, SelectionKey.OP_READ);
        InetSocketAddress peer = (InetSocketAddress) channel.getRemoteAddress();
        SSLEngine engine = endpoint.tls().createSSLEngine(peer.getHostString(), peer.getPort());
        engine.setUseClientMode(false);
        engine.beginHandshake();
        connectionKey.attach(
            new TlsConnection(channel, connectionKey, engine, endpoint.answerer()));
        accepted.incrementAndGet();
      } catch (IOException e) {
        failed.incrementAndGet();
      }
    }
  }
}
