package xcm.serve;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The parts a process has started so far, closed in reverse order: on shutdown, and when start-up
 * fails half-way so that exactly what started is stopped.
 *
 * <pre>{@code
 * Parts parts = new Parts("dmz01");
 * try {
 *   Sampler sampler = parts.add(new Sampler(...));
 *   JolokiaEndpoint jolokia = parts.open("Jolokia", "127.0.0.1", 8778, () -> JolokiaEndpoint.start(...));
 * } catch (StartException | RuntimeException e) {
 *   parts.close();
 *   throw e;
 * }
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class Parts implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Parts.class);

  private final String owner;
  private final Deque<AutoCloseable> started = new ArrayDeque<>();

  /** {@code owner} names the process in log lines, e.g. the host name. */
  public Parts(String owner) {
    this.owner = owner;
  }

  /** Something that binds a network address. */
  public interface Opener<T> {
    T open() throws IOException;
  }

  public synchronized <T extends AutoCloseable> T add(T part) {
    started.push(part);
    return part;
  }

  /**
   * Opens a part that listens on {@code address:port} and adds it.
   *
   * @throws StartException naming the part, the address and the port when it cannot bind
   */
  public <T extends AutoCloseable> T open(String what, String address, int port, Opener<T> opener)
      throws StartException {
    try {
      return add(opener.open());
    } catch (IOException e) {
      throw new StartException(
          "cannot start " + what + " on " + address + ":" + port + ": " + e.getMessage(), e);
    }
  }

  @Override
  public synchronized void close() {
    while (!started.isEmpty()) {
      AutoCloseable part = started.pop();
      try {
        part.close();
      } catch (Exception e) {
        log.warn("{}: cannot stop {}: {}", owner, part, LogText.escape(e.getMessage()));
      }
    }
  }
}
