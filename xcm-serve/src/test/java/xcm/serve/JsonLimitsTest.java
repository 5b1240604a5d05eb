package xcm.serve;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The byte scan that stands before every JSON parser of a request body. */
class JsonLimitsTest {
  private final JsonLimits limits = new JsonLimits(3, 3);

  private void passes(String json) {
    assertThatCode(() -> limits.check(json.getBytes(StandardCharsets.UTF_8)))
        .as(json)
        .doesNotThrowAnyException();
  }

  private void fails(String json, String message) {
    assertThatThrownBy(() -> limits.check(json.getBytes(StandardCharsets.UTF_8)))
        .as(json)
        .isInstanceOf(JsonLimitException.class)
        .hasMessage(message);
  }

  @Test
  void depthCountsArraysAndObjectsInsideEachOther() {
    passes("[{\"a\":[1]}]");
    passes("[[[]],[[]],{}]");
    fails("[{\"a\":[[1]]}]", "JSON nested deeper than 3 levels (at byte 7)");
    fails("[".repeat(1 << 20), "JSON nested deeper than 3 levels (at byte 3)");
  }

  @Test
  void elementsCountPerArrayAndMembersPerObject() {
    passes("[1,2,3]");
    passes("[[1,2,3],[1,2,3],[1,2,3]]");
    passes("{\"a\":1,\"b\":2,\"c\":3}");
    fails("[1,2,3,4]", "JSON array or object of more than 3 elements (at byte 6)");
    fails(
        "{\"a\":1,\"b\":2,\"c\":3,\"d\":4}",
        "JSON array or object of more than 3 elements (at byte 18)");
  }

  @Test
  void bracketsAndCommasInStringsAreTextEscapedQuotesIncluded() {
    passes("[\"[[[[,,,,\"]");
    passes("[\"\\\"[[[[,,,,\"]");
    passes("[\"\\\\\",\"x\"]");
    fails("[\"\\\\\",[[[]]]]", "JSON nested deeper than 3 levels (at byte 8)");
  }
}
