package xcm.serve;

import xcm.mbeans.config.ConfigException;
import xcm.mbeans.config.Settings;

/**
 * How deep a request's JSON may nest and how many elements one of its arrays (or members one of its
 * objects) may hold, checked by one pass over the body's bytes before any parser builds a tree of
 * it: a megabyte of {@code [} costs a parser a megabyte of nested lists (an agent's whole heap),
 * and this check a counter. Keys {@code jolokia.max-json-depth} and {@code
 * jolokia.max-json-elements}.
 *
 * <pre>{@code
 * new JsonLimits(20, 1000).check(body);   // throws JsonLimitException naming the limit and where
 * }</pre>
 *
 * @param maxDepth arrays and objects inside each other; a Jolokia bulk request of exec requests
 *     with structured arguments needs about 5
 * @param maxElements elements of any one array (the requests of a bulk request included) or members
 *     of any one object
 */
public record JsonLimits(int maxDepth, int maxElements) {
  public static final JsonLimits DEFAULTS = new JsonLimits(20, 1000);

  public JsonLimits {
    if (maxDepth < 2 || maxElements < 1) {
      throw new IllegalArgumentException(
          "JSON limits must allow a bulk request: depth 2 or more, 1 element or more, found "
              + maxDepth
              + " and "
              + maxElements);
    }
  }

  /** Reads {@code <door>.max-json-depth} and {@code <door>.max-json-elements}. */
  public static JsonLimits load(Settings s, String door) {
    int depth = s.positiveInt(door + ".max-json-depth", DEFAULTS.maxDepth());
    if (depth < 2) {
      throw new ConfigException(
          s.prefix() + door + ".max-json-depth",
          String.valueOf(depth),
          "must be 2 or more: a bulk request is an array of objects");
    }
    return new JsonLimits(
        depth, s.positiveInt(door + ".max-json-elements", DEFAULTS.maxElements()));
  }

  /**
   * Passes a body within the limits, whatever else is wrong with it (a parser says that); throws
   * naming the limit a body exceeds and the byte where it did. Brackets inside strings, escaped
   * quotes included, are text and count for nothing.
   */
  public void check(byte[] body) throws JsonLimitException {
    // Per open array or object, by depth, its commas so far: n elements or members have n - 1.
    int[] commas = new int[maxDepth + 1];
    int depth = 0;
    boolean inString = false;
    boolean escaped = false;
    for (int i = 0; i < body.length; i++) {
      byte b = body[i];
      if (inString) {
        if (escaped) {
          escaped = false;
        } else if (b == '\\') {
          escaped = true;
        } else if (b == '"') {
          inString = false;
        }
        continue;
      }
      switch (b) {
        case '"' -> inString = true;
        case '[', '{' -> {
          if (depth == maxDepth) {
            throw new JsonLimitException(
                "JSON nested deeper than " + maxDepth + " levels (at byte " + i + ")");
          }
          depth++;
          commas[depth] = 0;
        }
        case ']', '}' -> {
          if (depth > 0) {
            depth--;
          }
        }
        case ',' -> {
          if (depth > 0 && ++commas[depth] >= maxElements) {
            throw new JsonLimitException(
                "JSON array or object of more than "
                    + maxElements
                    + " elements (at byte "
                    + i
                    + ")");
          }
        }
        default -> {
          // Numbers, literals, colons and whitespace: the parser judges them.
        }
      }
    }
  }
}
