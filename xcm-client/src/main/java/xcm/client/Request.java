package xcm.client;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import javax.management.ObjectName;

/**
 * One Jolokia request: a read of attributes, the exec of an operation, or the version. Attribute
 * names come from the MXBean interfaces ({@link xcm.mbeans.Attributes}).
 *
 * <pre>{@code
 * Request cpus = Request.read(ObjectNames.host(), Attributes.name(HostMXBean.class, HostMXBean::getCpus));
 * Request migrate = Request.exec(ObjectNames.hostOperations(), "migrate", "web01", destination);
 * }</pre>
 *
 * <p>Immutable, so thread-safe.
 */
public final class Request {
  private final ObjectName mbean; // null for the version
  private final String operation; // null for a read or the version
  private final List<Object> arguments;
  private final Object attribute; // a read: null (all), one name, or a list of names

  private Request(ObjectName mbean, String operation, List<Object> arguments, Object attribute) {
    this.mbean = mbean;
    this.operation = operation;
    this.arguments = arguments;
    this.attribute = attribute;
  }

  /** Reads every attribute: the value is an object of attribute name to value. */
  public static Request read(ObjectName mbean) {
    return new Request(mbean, null, List.of(), null);
  }

  /** Reads one attribute: the value is the attribute's value. */
  public static Request read(ObjectName mbean, String attribute) {
    return new Request(mbean, null, List.of(), attribute);
  }

  /**
   * Reads some attributes: the value is an object of attribute name to value (for a pattern such as
   * {@code xcm:type=Domain,*}, of MBean name to such an object).
   */
  public static Request read(ObjectName mbean, List<String> attributes) {
    return new Request(mbean, null, List.of(), List.copyOf(attributes));
  }

  /**
   * Executes an operation with positional arguments.
   *
   * @param arguments strings, numbers, booleans or null
   * @throws IllegalArgumentException for an argument of another type
   */
  public static Request exec(ObjectName mbean, String operation, Object... arguments) {
    for (Object argument : arguments) {
      if (argument != null
          && !(argument instanceof String)
          && !(argument instanceof Number)
          && !(argument instanceof Boolean)) {
        throw new IllegalArgumentException(
            operation
                + ": an argument is a string, number or boolean, found "
                + argument.getClass());
      }
    }
    // Not List.of: an argument may be null.
    return new Request(
        mbean, operation, Collections.unmodifiableList(Arrays.asList(arguments.clone())), null);
  }

  /**
   * Asks Jolokia its version: the cheapest request every role may make, which shows the callee
   * answers.
   */
  public static Request version() {
    return new Request(null, null, List.of(), null);
  }

  /** The MBean read or executed; null for the version. */
  public ObjectName mbean() {
    return mbean;
  }

  /** How messages name the request: the operation, or "a read of MBEAN". */
  @Override
  public String toString() {
    if (mbean == null) {
      return "version";
    }
    return operation != null ? operation : "a read of " + mbean.getCanonicalName();
  }

  /**
   * Writes the request as Jolokia's JSON: type, mbean, then attribute or operation and arguments.
   */
  void write(JsonGenerator out) throws IOException {
    out.writeStartObject();
    if (mbean == null) {
      out.writeStringField("type", "version");
      out.writeEndObject();
      return;
    }
    out.writeStringField("type", operation != null ? "exec" : "read");
    out.writeStringField("mbean", mbean.getCanonicalName());
    if (operation != null) {
      out.writeStringField("operation", operation);
      out.writeArrayFieldStart("arguments");
      for (Object argument : arguments) {
        if (argument == null) {
          out.writeNull();
        } else if (argument instanceof Boolean b) {
          out.writeBoolean(b);
        } else if (argument instanceof Integer || argument instanceof Long) {
          out.writeNumber(((Number) argument).longValue());
        } else if (argument instanceof Number number) {
          out.writeNumber(number.doubleValue());
        } else {
          out.writeString((String) argument);
        }
      }
      out.writeEndArray();
    } else if (attribute instanceof String name) {
      out.writeStringField("attribute", name);
    } else if (attribute instanceof List<?> names) {
      out.writeArrayFieldStart("attribute");
      for (Object name : names) {
        out.writeString((String) name);
      }
      out.writeEndArray();
    }
    out.writeEndObject();
  }
}
