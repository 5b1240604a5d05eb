package xcm.bench.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The shape of a JSON document: its keys and the types of its values, recursively, without the
 * values — what must be the same in a real agent's answer and the simulated fleet's, whose values
 * differ. Numbers are told apart as integers and floating point (a {@code long} and a {@code
 * double} attribute); an object whose keys are all MBean names (a pattern read's value) is one
 * entry {@code <mbean>} with the shape every MBean's attributes share; an array's elements must all
 * have one shape unless they are a bulk answer's replies, which are compared one by one.
 *
 * <pre>{@code
 * assertThat(JsonShape.of(simulated)).isEqualTo(JsonShape.of(real));
 * }</pre>
 */
final class JsonShape {
  private JsonShape() {}

  /** The shape, written as an indented text that a failed assertion shows line by line. */
  static String of(JsonNode node) {
    StringBuilder out = new StringBuilder();
    write(node, 0, out);
    return out.toString();
  }

  private static void write(JsonNode node, int depth, StringBuilder out) {
    String indent = "  ".repeat(depth);
    switch (node.getNodeType()) {
      case OBJECT -> {
        Map<String, JsonNode> fields = new TreeMap<>();
        node.properties().forEach(e -> fields.put(e.getKey(), e.getValue()));
        if (!fields.isEmpty() && fields.keySet().stream().allMatch(k -> k.contains(":"))) {
          // MBean name -> attributes: the names differ between hosts, the attributes must not.
          List<String> shapes = new ArrayList<>();
          fields.values().forEach(v -> shapes.add(of(v)));
          out.append("object of MBeans")
              .append(shapes.stream().distinct().count() == 1 ? "" : " OF DIFFERENT SHAPES")
              .append('\n')
              .append(indent)
              .append("  <mbean>: ");
          write(fields.values().iterator().next(), depth + 1, out);
          return;
        }
        out.append("object\n");
        fields.forEach(
            (key, value) -> {
              out.append(indent).append("  ").append(key).append(": ");
              write(value, depth + 1, out);
            });
      }
      case ARRAY -> {
        out.append("array\n");
        for (JsonNode element : node) {
          out.append(indent).append("  - ");
          write(element, depth + 1, out);
        }
      }
      case NUMBER -> out.append(node.isIntegralNumber() ? "integer\n" : "float\n");
      case STRING -> out.append("string\n");
      case BOOLEAN -> out.append("boolean\n");
      case NULL -> out.append("null\n");
      default -> out.append(node.getNodeType()).append('\n');
    }
  }
}
