package xcm.agent.reach;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import xcm.client.Body;
import xcm.client.JolokiaClient;
import xcm.client.JolokiaException;
import xcm.client.Request;

/**
 * One knock on another agent's Jolokia for {@link AgentProbe}. Kept apart so that an agent that is
 * never asked to probe loads neither Jackson nor the HTTP client (several MB of its footprint).
 *
 * <p>Thread-safe: stateless besides a thread-safe JSON reader.
 */
final class JolokiaKnock {
  private static final ObjectMapper JSON = new ObjectMapper();

  private JolokiaKnock() {}

  /** Asks the version; why it was not answered, or empty when it was. */
  static String version(JolokiaClient jolokia, URI target, String refused, Duration timeout) {
    CompletableFuture<Boolean> answer =
        jolokia.sendAsync(target.toString(), List.of(Request.version()), JolokiaKnock::answered);
    try {
      // The client's own time-outs end it first; this bounds a TLS handshake that stalls.
      answer.get(timeout.toMillis() * 2, TimeUnit.MILLISECONDS);
      return "";
    } catch (TimeoutException e) {
      answer.cancel(true);
      return "agent at " + target + " does not answer within " + timeout.toMillis() + " ms";
    } catch (ExecutionException e) {
      return reason(JolokiaException.of(e), target);
    } catch (InterruptedException e) {
      answer.cancel(true);
      Thread.currentThread().interrupt();
      throw new IllegalStateException(refused + "interrupted while waiting for its answer");
    }
  }

  /**
   * Reads the answer to the version request, and nothing of it into a message: an error or a body
   * that is not Jolokia's is told by kind only.
   */
  private static Boolean answered(Body body) throws JolokiaException {
    JsonNode replies;
    try {
      replies = JSON.readTree(body.bytes());
    } catch (IOException e) {
      throw body.unreadable("answers with something that is not Jolokia");
    }
    JsonNode reply = replies != null && replies.isArray() ? replies.path(0) : null;
    if (reply == null || !reply.path("status").isInt()) {
      throw body.unreadable("answers with something that is not Jolokia");
    }
    int status = reply.path("status").asInt();
    if (status != 200) {
      throw body.error(Request.version(), status, "", "");
    }
    return Boolean.TRUE;
  }

  /**
   * Why not, in this agent's words: a refusal's message may quote the other side's answer, so it is
   * told by kind; the client's other messages say what happened to the exchange.
   */
  private static String reason(JolokiaException e, URI target) {
    if (e.outcome() == JolokiaException.Outcome.REFUSED) {
      return "agent at "
          + target
          + " answered but refused the version request ("
          + e.refusal()
          + ")";
    }
    return String.valueOf(e.getMessage());
  }
}
