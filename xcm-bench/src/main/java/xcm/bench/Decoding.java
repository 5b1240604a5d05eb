package xcm.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * How the benches' Jolokia views ({@link CoordinatorJolokia}, {@link AgentJolokia}) turn what came
 * back into the mbeans module's types: a state to its enum, a composite value (a host's row, a
 * move, a migration) to its record, whose components are the composite's items. The one place where
 * that happens, so that no bench decides on a state's text.
 *
 * <p>Thread-safe.
 */
final class Decoding {
  // A newer agent or coordinator may send items this bench does not know yet.
  private static final ObjectMapper JSON =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private Decoding() {}

  /**
   * The constant of {@code type} named {@code value}.
   *
   * @param where how the message names the sender: "the coordinator at URL"
   * @throws IllegalStateException naming the value, when {@code type} has no such constant
   */
  static <E extends Enum<E>> E state(Class<E> type, String value, String where) {
    for (E constant : type.getEnumConstants()) {
      if (constant.name().equals(value)) {
        return constant;
      }
    }
    throw new IllegalStateException(
        where + " sent a " + type.getSimpleName() + " this bench does not know: " + value);
  }

  /**
   * A composite value as the record of {@code type}.
   *
   * @throws IllegalStateException when the value does not fit the record
   */
  static <R extends Record> R record(Class<R> type, JsonNode value, String where) {
    try {
      return JSON.treeToValue(value, type);
    } catch (JsonProcessingException | IllegalArgumentException e) {
      throw new IllegalStateException(
          where + " sent a " + type.getSimpleName() + " this bench cannot read: " + value, e);
    }
  }
}
