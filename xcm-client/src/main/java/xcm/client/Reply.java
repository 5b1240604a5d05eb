package xcm.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/**
 * One reply of a bulk request ({@link JolokiaClient#send(String, java.util.List)}): a value, or why
 * there is none. Each request of a bulk ends on its own; one refusal does not fail the others.
 *
 * <pre>{@code
 * List<Reply> replies = client.send(url, List.of(readName, prepare));
 * replies.get(1).value();  // throws the refusal of prepare, if any
 * }</pre>
 *
 * <p>Immutable, so thread-safe.
 */
public final class Reply {
  private final JsonNode value;
  private final JolokiaException failure;

  private Reply(JsonNode value, JolokiaException failure) {
    this.value = value;
    this.failure = failure;
  }

  static Reply of(JsonNode value) {
    return new Reply(value, null);
  }

  static Reply failed(JolokiaException failure) {
    return new Reply(null, failure);
  }

  /**
   * The request's value ({@code null} in JSON for an operation returning nothing).
   *
   * @throws JolokiaException why the request gave no value
   */
  public JsonNode value() throws JolokiaException {
    if (failure != null) {
      throw failure;
    }
    return value;
  }

  /** Why the request gave no value; empty when it gave one. */
  public Optional<JolokiaException> failure() {
    return Optional.ofNullable(failure);
  }
}
