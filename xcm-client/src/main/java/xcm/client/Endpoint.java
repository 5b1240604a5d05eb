package xcm.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Optional;

/**
 * A {@link JolokiaClient} bound to one callee, for callers that talk to one callee: the CLI to its
 * coordinator, an agent to a migration's destination. The callee may be reached at several URLs —
 * the coordinators of one cluster, of which one is active: a request that reached none of them
 * ({@link JolokiaException.Outcome#FAILED}: nothing was sent), that a standby refused ({@link
 * JolokiaException.Refusal#STANDBY}: nothing was done) or that found nothing there ({@link
 * JolokiaException.Refusal#NOT_FOUND}: an operation the active one runs) goes to the next, and the
 * one that answered is asked first from then on.
 *
 * <pre>{@code
 * Endpoint coordinator = client.at(List.of("https://c1:8780/jolokia/", "https://c2:8780/jolokia/"));
 * JsonNode hosts = coordinator.send(Request.read(ObjectNames.cluster(), "Hosts"));
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class Endpoint {
  private final JolokiaClient client;
  private final List<String> urls;
  private volatile int current;

  Endpoint(JolokiaClient client, List<String> urls) {
    if (urls.isEmpty()) {
      throw new IllegalArgumentException("an endpoint needs a URL");
    }
    this.client = client;
    this.urls = List.copyOf(urls);
  }

  /** The URL asked first: the one that last answered. */
  public String url() {
    return urls.get(current);
  }

  /** Sends one request and waits for its value; see {@link JolokiaClient#send(String, Request)}. */
  public JsonNode send(Request request) throws JolokiaException, InterruptedException {
    return elsewhereIfNotDone(url -> client.send(url, request), true);
  }

  /**
   * Sends a request for something that may not exist (an MBean that may be gone, a pattern that may
   * match nothing); empty when the callee has no such MBean, attribute or operation ({@link
   * JolokiaException.Refusal#NOT_FOUND}).
   */
  public Optional<JsonNode> sendIfFound(Request request)
      throws JolokiaException, InterruptedException {
    try {
      return Optional.of(send(request));
    } catch (JolokiaException e) {
      if (e.refusal() != JolokiaException.Refusal.NOT_FOUND) {
        throw e;
      }
      return Optional.empty();
    }
  }

  /**
   * Sends requests in one POST and waits; see {@link JolokiaClient#send(String, List)}. Each reply
   * carries its own refusal: only a POST that reached no URL goes to the next.
   */
  public List<Reply> send(List<Request> requests) throws JolokiaException, InterruptedException {
    return elsewhereIfNotDone(url -> client.send(url, requests), false);
  }

  private interface Call<T> {
    T to(String url) throws JolokiaException, InterruptedException;
  }

  private <T> T elsewhereIfNotDone(Call<T> call, boolean standbyRefuses)
      throws JolokiaException, InterruptedException {
    int first = current;
    JolokiaException standby = null;
    JolokiaException notFound = null;
    JolokiaException last = null;
    for (int i = 0; i < urls.size(); i++) {
      int at = (first + i) % urls.size();
      try {
        T value = call.to(urls.get(at));
        current = at;
        return value;
      } catch (JolokiaException e) {
        JolokiaException.Refusal refusal = standbyRefuses ? e.refusal() : null;
        boolean elsewhere =
            refusal == JolokiaException.Refusal.STANDBY
                || refusal == JolokiaException.Refusal.NOT_FOUND
                || e.outcome() == JolokiaException.Outcome.FAILED;
        if (urls.size() == 1 || !elsewhere) {
          throw e;
        }
        if (refusal == JolokiaException.Refusal.STANDBY && standby == null) {
          standby = e;
        } else if (refusal == JolokiaException.Refusal.NOT_FOUND && notFound == null) {
          notFound = e;
        }
        last = e;
      }
    }
    // A standby's refusal names the active coordinator: the most useful of the reasons.
    throw standby != null ? standby : notFound != null ? notFound : last;
  }

  @Override
  public String toString() {
    return String.join(",", urls);
  }
}
