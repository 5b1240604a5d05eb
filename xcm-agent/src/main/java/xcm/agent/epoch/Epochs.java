package xcm.agent.epoch;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import xcm.mbeans.EpochFence;
import xcm.mbeans.StaleEpochException;
import xcm.serve.LogText;
import xcm.trust.OwnerOnlyDirectory;
import xcm.trust.Printable;

/**
 * The newest coordinator epoch this agent has seen, and the fence it makes ({@link EpochFence}):
 * every request that changes the host is admitted here first, and one from a coordinator that is no
 * longer the active one is refused, counted and logged. With a file, a newer epoch is written to it
 * before the request goes on, so that a restarted agent still refuses the former active.
 *
 * <p>The file holds the epoch in decimal, and is written whole as the agent's key is (temporary
 * file renamed over it, mode 0600) in a directory only its owner enters ({@link
 * OwnerOnlyDirectory}): whoever could write it could open the fence again.
 *
 * <pre>{@code
 * Epochs epochs = Epochs.open("dmz01", Path.of("/var/lib/xcm/agent/tls/epoch"));
 * epochs.admit(epoch, "destroy domain 'web01'");
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class Epochs {
  private static final Logger log = LoggerFactory.getLogger(Epochs.class);

  private final String host;
  private final EpochFence fence;
  private final Optional<Path> file;
  private final AtomicLong refusals = new AtomicLong();

  private Epochs(String host, EpochFence fence, Optional<Path> file) {
    this.host = host;
    this.fence = fence;
    this.file = file;
  }

  /** Epochs kept in memory only: a restarted agent has seen none. */
  public static Epochs inMemory(String host) {
    return new Epochs(host, new EpochFence(host, 0, EpochFence.IN_MEMORY), Optional.empty());
  }

  /**
   * Epochs kept in {@code file}, read now (none seen while it does not exist). Its directory is
   * made, mode 0700, when missing.
   *
   * @throws IOException naming the file when it cannot be read, is open to group or others (or its
   *     directory is), or holds anything but an epoch
   */
  public static Epochs open(String host, Path file) throws IOException {
    Path path = file.toAbsolutePath().normalize();
    if (path.getParent() == null) {
      throw new IOException(path + ": names no file in a directory");
    }
    OwnerOnlyDirectory directory = OwnerOnlyDirectory.open(path.getParent());
    String name = path.getFileName().toString();
    long kept = directory.exists(name) ? parse(path, directory.read(name)) : 0;
    EpochFence.Keeper keeper =
        epoch -> {
          try {
            directory.write(name, (epoch + "\n").getBytes(StandardCharsets.US_ASCII));
          } catch (IOException | RuntimeException e) {
            throw new IllegalStateException(
                host
                    + ": cannot keep coordinator epoch "
                    + epoch
                    + " in "
                    + path
                    + " ("
                    + e.getMessage()
                    + "): refused, nothing was done",
                e);
          }
        };
    return new Epochs(host, new EpochFence(host, kept, keeper), Optional.of(path));
  }

  /**
   * Admits a request that carries {@code epoch}, before it changes anything.
   *
   * @param request what it asks, for the refusal: {@code "destroy domain 'web01'"}
   * @throws StaleEpochException when a newer epoch was seen: counted and logged
   * @throws IllegalArgumentException when {@code epoch} is below 1
   * @throws IllegalStateException when a newer epoch cannot be written to the file
   */
  public void admit(long epoch, String request) {
    try {
      fence.admit(epoch, request);
    } catch (StaleEpochException e) {
      refusals.incrementAndGet();
      // The message carries the caller's domain name.
      log.warn("{}", LogText.escape(e.getMessage()));
      throw e;
    }
  }

  /** The newest epoch seen; 0 before any. */
  public long newest() {
    return fence.newest();
  }

  /** Requests refused because their epoch was older than the newest seen. */
  public long refusals() {
    return refusals.get();
  }

  /** Where the epoch is kept; empty when in memory only. */
  public Optional<Path> file() {
    return file;
  }

  @Override
  public String toString() {
    return "Epochs[" + host + ", newest " + newest() + file.map(f -> ", in " + f).orElse("") + "]";
  }

  private static long parse(Path path, byte[] content) throws IOException {
    String text = new String(content, StandardCharsets.US_ASCII).strip();
    long epoch;
    try {
      epoch = Long.parseLong(text);
    } catch (NumberFormatException e) {
      epoch = -1;
    }
    if (epoch < 1) {
      throw new IOException(
          path
              + ": holds "
              + Printable.quote(text)
              + ", not a coordinator epoch (a whole number of at least 1). Restore it; removing it"
              + " lets any former coordinator act here again");
    }
    return epoch;
  }
}
