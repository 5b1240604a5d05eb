package xcm.coordinator.cli;

/** Something the CLI cannot do; the message is printed as it is. */
public class CliException extends Exception {
  public CliException(String message) {
    super(message);
  }
}
