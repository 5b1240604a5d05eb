package xcm.coordinator.plan;

/**
 * A cluster snapshot that cannot be planned on: malformed JSON, a missing or negative field, a
 * duplicate name, a domain on a host that is not listed. The message names the entry and the
 * reason, e.g. {@code domain "vm7": host "h9" is not listed in hosts}.
 */
public final class SnapshotException extends RuntimeException {
  public SnapshotException(String message) {
    super(message);
  }

  public SnapshotException(String message, Throwable cause) {
    super(message, cause);
  }
}
