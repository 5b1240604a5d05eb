package xcm.client;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Jolokia's JSON as {@link JolokiaClient} writes and reads it: requests written with Jackson's
 * streaming generator, answers read into the tree an {@code ObjectMapper}'s {@code readTree} makes
 * (the same node types), without an {@code ObjectMapper}: its set-up loads 300 classes of
 * Jackson's, where this needs 30 beside its parser (-Xlog:class+load of ./xcm status), and took
 * 50-80 ms of CPU of a CLI run even from a class-data archive (at a load of 7).
 *
 * <p>Thread-safe: stateless.
 */
final class Json {
  private static final JsonFactory FACTORY = new JsonFactory();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private Json() {}

  /** One request as Jolokia's JSON object, or several as a bulk request: a JSON array. */
  static String write(List<Request> requests, boolean bulk) {
    StringWriter text = new StringWriter();
    try (JsonGenerator out = FACTORY.createGenerator(text)) {
      if (bulk) {
        out.writeStartArray();
      }
      for (Request request : requests) {
        request.write(out);
      }
      if (bulk) {
        out.writeEndArray();
      }
    } catch (IOException e) {
      // Strings, numbers and booleans into a StringWriter always write.
      throw new UncheckedIOException("cannot write a Jolokia request: " + e.getMessage(), e);
    }
    return text.toString();
  }

  /**
   * The tree of a JSON text; null when it holds none. What follows the first value is not read.
   *
   * @throws IOException when it is not JSON
   */
  static JsonNode read(byte[] bytes) throws IOException {
    try (JsonParser in = FACTORY.createParser(bytes)) {
      JsonToken first = in.nextToken();
      return first == null ? null : value(in, first);
    }
  }

  private static JsonNode value(JsonParser in, JsonToken token) throws IOException {
    switch (token) {
      case START_OBJECT:
        ObjectNode object = NODES.objectNode();
        for (String name = in.nextFieldName(); name != null; name = in.nextFieldName()) {
          object.set(name, value(in, in.nextToken()));
        }
        return object;
      case START_ARRAY:
        ArrayNode array = NODES.arrayNode();
        for (JsonToken next = in.nextToken(); next != JsonToken.END_ARRAY; next = in.nextToken()) {
          array.add(value(in, next));
        }
        return array;
      case VALUE_STRING:
        return NODES.textNode(in.getText());
      case VALUE_NUMBER_INT:
        return switch (in.getNumberType()) {
          case INT -> NODES.numberNode(in.getIntValue());
          case LONG -> NODES.numberNode(in.getLongValue());
          default -> NODES.numberNode(in.getBigIntegerValue());
        };
      case VALUE_NUMBER_FLOAT:
        return NODES.numberNode(in.getDoubleValue());
      case VALUE_TRUE:
        return NODES.booleanNode(true);
      case VALUE_FALSE:
        return NODES.booleanNode(false);
      case VALUE_NULL:
        return NODES.nullNode();
      default:
        throw new IOException("unexpected " + token + " in JSON");
    }
  }
}
