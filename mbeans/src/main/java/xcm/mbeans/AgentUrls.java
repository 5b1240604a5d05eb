package xcm.mbeans;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * An agent's Jolokia URL in one spelling, so that two spellings of one agent compare equal and
 * derive the same password: lower-case scheme and host, an explicit port (80 or 443 when none is
 * given) and a path ending in '/', e.g. {@code http://hv01:8778/jolokia/}. URLs that carry a user,
 * a query or a fragment are refused: credentials come from the configuration, never from a URL.
 */
public final class AgentUrls {
  private AgentUrls() {}

  /**
   * The URL in its one spelling.
   *
   * @throws IllegalArgumentException with the reason only: the URL itself is not repeated, since
   *     what precedes an '@' in it may be a password
   */
  public static URI normalise(String url) {
    String text = url == null ? "" : url.strip();
    URI uri;
    try {
      uri = new URI(text);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("not a URL: " + e.getReason());
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new IllegalArgumentException("not an http or https URL");
    }
    if (uri.getHost() == null) {
      throw new IllegalArgumentException("it names no host");
    }
    if (uri.getRawUserInfo() != null) {
      throw new IllegalArgumentException(
          "an agent's Jolokia URL carries no user or password (credentials come from the"
              + " configuration)");
    }
    if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
      throw new IllegalArgumentException("an agent URL has no query or fragment");
    }
    int port = uri.getPort() != -1 ? uri.getPort() : scheme.equals("http") ? 80 : 443;
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    path = path.endsWith("/") ? path : path + "/";
    return URI.create(scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + ":" + port + path);
  }

  /** The URL with what may stand before an '@' (a user and password) shown as ***. */
  public static String redacted(String url) {
    return url == null ? null : url.replaceFirst("//[^/@]*@", "//***@");
  }
}
