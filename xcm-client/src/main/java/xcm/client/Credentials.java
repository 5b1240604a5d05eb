package xcm.client;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * What a {@link JolokiaClient} presents to each callee: an HTTP {@code Authorization} header per
 * URL (one password for all, or one per callee), and how messages name it.
 *
 * <pre>{@code
 * Credentials peer = Credentials.basic("peer", password, "the peer credentials");
 * }</pre>
 *
 * <p>Implementations are thread-safe and show no secret in {@code toString}.
 */
public interface Credentials {

  /**
   * The {@code Authorization} header for the callee at {@code url}; null to send none, where the
   * client's TLS certificate is what authenticates it.
   *
   * @throws IllegalArgumentException naming the URL and why there is none for it; the call then
   *     fails ({@link JolokiaException.Outcome#FAILED}) with that message
   */
  String authorization(String url);

  /** How a refusal names these credentials: "... refused the coordinator's credentials". */
  String description();

  /** One user and password for every callee, named "the credentials". */
  static Credentials basic(String user, String password) {
    return basic(user, password, "the credentials");
  }

  /** One user and password for every callee, named {@code description} in refusals. */
  static Credentials basic(String user, String password, String description) {
    return new BasicCredentials(basicAuthorization(user, password), user, description);
  }

  /**
   * No header: the client's TLS certificate authenticates it, and refusals name it {@code
   * description} ("this agent's certificate").
   */
  static Credentials certificate(String description) {
    return new Credentials() {
      @Override
      public String authorization(String url) {
        return null;
      }

      @Override
      public String description() {
        return description;
      }
    };
  }

  /** The {@code Authorization} header of HTTP basic authentication. */
  static String basicAuthorization(String user, String password) {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }
}
