package xcm.serve;

import java.net.InetAddress;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * What a client presented to a door before any role is given to it: the user and password of its
 * {@code Authorization: Basic} header, if it sent a well-formed one, and the certificate chain its
 * TLS handshake showed and the door's trust managers verified (empty over plain HTTP, or when the
 * client showed none). The door authenticates from this alone ({@link JolokiaAccess}), so that a
 * certificate can come to stand for a user without the door changing.
 *
 * <pre>{@code
 * ClientCredentials presented = ClientCredentials.of("Basic eGNtOnNlY3JldA==", chain, address);
 * presented.basic();   // Optional[Credentials[user=xcm, password=***]]
 * }</pre>
 *
 * @param basic the Basic user and password; empty without a header, or with one that is not Basic,
 *     not Base64, not UTF-8 or has no colon
 * @param certificates the client's verified chain, its own certificate first; never null
 * @param address where the connection came from; null when the transport has no address
 */
public record ClientCredentials(
    Optional<JolokiaConfig.Credentials> basic,
    List<X509Certificate> certificates,
    InetAddress address) {

  public ClientCredentials {
    certificates = List.copyOf(certificates);
  }

  /**
   * From an {@code Authorization} header (null if absent) and the TLS peer chain (null or empty if
   * none).
   */
  public static ClientCredentials of(
      String authorization, X509Certificate[] chain, InetAddress address) {
    return new ClientCredentials(
        basic(authorization), chain == null ? List.of() : List.of(chain), address);
  }

  /** The user and password of a {@code Basic} header; empty for anything else. */
  static Optional<JolokiaConfig.Credentials> basic(String authorization) {
    if (authorization == null
        || authorization.length() < 6
        || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
      return Optional.empty();
    }
    byte[] decoded;
    try {
      decoded = Base64.getDecoder().decode(authorization.substring(6).strip());
    } catch (IllegalArgumentException notBase64) {
      return Optional.empty();
    }
    String userAndPassword;
    try {
      userAndPassword =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(java.nio.ByteBuffer.wrap(decoded))
              .toString();
    } catch (CharacterCodingException notUtf8) {
      return Optional.empty();
    }
    int colon = userAndPassword.indexOf(':');
    if (colon < 0) {
      return Optional.empty();
    }
    return Optional.of(
        new JolokiaConfig.Credentials(
            userAndPassword.substring(0, colon), userAndPassword.substring(colon + 1)));
  }
}
