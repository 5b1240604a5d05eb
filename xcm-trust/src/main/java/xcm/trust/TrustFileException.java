package xcm.trust;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A key, certificate or list file of the cluster's trust that cannot be used as it is; the message
 * names the path and what to do. A process meeting one at start refuses to start.
 *
 * <pre>{@code
 * try {
 *   authority = ClusterAuthority.builder().directory(dir).open();
 * } catch (TrustFileException e) {
 *   throw new StartException(e.getMessage(), e);   // "/var/lib/xcm/ca/ca.key: mode 0640 …"
 * }
 * }</pre>
 */
public final class TrustFileException extends IOException {
  /** What is wrong with the file. */
  public enum Problem {
    /** Group or others may read or write it (or enter or write its directory). */
    TOO_OPEN,
    /** It is not what it should hold: not PEM, not a key, a certificate that is no CA's … */
    MALFORMED,
    /** Its parts do not belong together: a certificate for another key, one file of a pair. */
    MISMATCHED
  }

  private final transient Path path;
  private final Problem problem;

  public TrustFileException(Path path, Problem problem, String message) {
    this(path, problem, message, null);
  }

  public TrustFileException(Path path, Problem problem, String message, Throwable cause) {
    super(path + ": " + message, cause);
    this.path = path;
    this.problem = problem;
  }

  public Path path() {
    return path;
  }

  public Problem problem() {
    return problem;
  }
}
