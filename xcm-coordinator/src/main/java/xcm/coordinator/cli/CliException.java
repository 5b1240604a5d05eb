package xcm.coordinator.cli;

/** Something the CLI cannot do; the message is printed as it is. */
class CliException extends Exception {
  CliException(String message) {
    super(message);
  }

  /** The MBean asked for does not exist. */
  static final class NotFound extends CliException {
    NotFound(String message) {
      super(message);
    }
  }
}
