package xcm.coordinator.journal;

/** The journal cannot be read or written; nothing may act on what it failed to record. */
public final class JournalException extends RuntimeException {
  public JournalException(String message) {
    super(message);
  }

  public JournalException(String message, Throwable cause) {
    super(message, cause);
  }
}
