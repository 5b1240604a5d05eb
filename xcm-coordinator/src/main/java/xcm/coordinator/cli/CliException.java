package xcm.coordinator.cli;

/** Something the CLI cannot do; the message is printed as it is. */
final class CliException extends Exception {
  CliException(String message) {
    super(message);
  }
}
