package xcm.coordinator.cli;

/** Something the CLI cannot do; the message is printed as it is. */
public class CliException extends Exception {
  public CliException(String message) {
    super(message);
  }

  /** The MBean asked for does not exist. */
  public static final class NotFound extends CliException {
    NotFound(String message) {
      super(message);
    }
  }
}
