package xcm.coordinator.enrol;

import java.net.URI;
import java.util.UUID;
import java.util.regex.Pattern;
import xcm.mbeans.AgentUrls;
import xcm.trust.Subject;

/**
 * The checks on what an agent claims when it asks to join, before anything is looked up or kept:
 * each names the field and why it is refused.
 */
final class EnrolmentFields {
  private static final Pattern UUID_TEXT =
      Pattern.compile(
          "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

  static final int MAX_URL = 512;
  static final int MAX_CERTIFICATE_REQUEST = 8192;
  static final int MAX_TOKEN = 128;

  private EnrolmentFields() {}

  /**
   * @return the host name as given
   * @throws IllegalArgumentException naming why not
   */
  static String host(String host) {
    if (host == null || host.isEmpty()) {
      throw new IllegalArgumentException("host name is missing");
    }
    return Subject.requireValidName(host, "host name");
  }

  /** The UUID in lower case. */
  static String libvirtUuid(String uuid) {
    if (uuid == null || !UUID_TEXT.matcher(uuid).matches()) {
      throw new IllegalArgumentException("libvirt host UUID is missing or not a UUID");
    }
    return UUID.fromString(uuid).toString();
  }

  /**
   * The agent's URL in its one spelling ({@link AgentUrls}), which must be https: an enrolled agent
   * is reached only over TLS.
   */
  static String url(String url) {
    if (url == null || url.isEmpty()) {
      throw new IllegalArgumentException("agent URL is missing");
    }
    if (url.length() > MAX_URL) {
      throw new IllegalArgumentException("agent URL is longer than " + MAX_URL + " characters");
    }
    URI uri;
    try {
      uri = AgentUrls.normalise(url);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("agent URL is refused: " + e.getMessage());
    }
    if (!uri.getScheme().equals("https")) {
      throw new IllegalArgumentException(
          "agent URL must be https://host:port/path/ without user information");
    }
    return uri.toString();
  }

  static String certificateRequest(String pem) {
    if (pem == null || pem.isEmpty()) {
      throw new IllegalArgumentException("certificate request is missing");
    }
    if (pem.length() > MAX_CERTIFICATE_REQUEST) {
      throw new IllegalArgumentException(
          "certificate request is longer than " + MAX_CERTIFICATE_REQUEST + " characters");
    }
    return pem;
  }

  static String token(String token) {
    if (token.isEmpty() || token.length() > MAX_TOKEN) {
      throw new IllegalArgumentException("token is empty or longer than " + MAX_TOKEN);
    }
    return token;
  }
}
