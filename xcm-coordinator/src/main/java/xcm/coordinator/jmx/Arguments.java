package xcm.coordinator.jmx;

/** The checks every view makes of what a JMX or Jolokia client passes before it acts. */
final class Arguments {
  private Arguments() {}

  /** JMX and Jolokia clients may pass null (JSON null); refused like any other bad argument. */
  static String required(String value, String operation, String parameter) {
    if (value == null) {
      throw new IllegalArgumentException(operation + ": " + parameter + " is required, found null");
    }
    return value;
  }
}
