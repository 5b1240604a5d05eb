package xcm.client;

/**
 * Turns the body of a callee's HTTP 200 answer into a result; see {@link
 * JolokiaClient#sendAsync(String, java.util.List, BodyReader)}. Implementations are thread-safe:
 * bodies are read on the client's executor, several at once.
 */
@FunctionalInterface
public interface BodyReader<T> {
  /**
   * @throws JolokiaException made by {@code body} ({@link Body#error}, {@link Body#unreadable}), so
   *     that its outcome is decided in one place
   */
  T read(Body body) throws JolokiaException;
}
