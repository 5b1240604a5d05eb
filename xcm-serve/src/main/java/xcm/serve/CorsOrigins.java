package xcm.serve;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import xcm.mbeans.config.ConfigException;
import xcm.mbeans.config.Settings;

/**
 * The web origins whose pages may call Jolokia from a browser (key {@code jolokia.cors.origin}: one
 * origin or several, comma-separated, each {@code http(s)://host[:port]} exactly as browsers send
 * it). None by default: CORS is off, and a request carrying any {@code Origin} header is refused
 * (403), so that a page elsewhere cannot have a browser that holds a password act with it. An
 * origin given here is answered with that origin, never with a copy of whatever the request said.
 *
 * <pre>
 * xcm.coordinator.jolokia.cors.origin   https://grafana.example.org
 * </pre>
 *
 * <p>Immutable.
 */
public record CorsOrigins(List<String> origins) {

  public static final CorsOrigins NONE = new CorsOrigins(List.of());

  public CorsOrigins {
    origins = List.copyOf(origins);
  }

  /** Reads {@code <door>.cors.origin}; {@link #NONE} when it is not set. */
  public static CorsOrigins load(Settings s, String door) {
    String key = door + ".cors.origin";
    List<String> origins = new ArrayList<>();
    for (String given : s.string(key).map(v -> v.split(",")).orElse(new String[0])) {
      String origin = given.strip();
      String why = invalid(origin);
      if (why != null) {
        throw new ConfigException(s.prefix() + key, origin, why);
      }
      origins.add(origin.toLowerCase(Locale.ROOT));
    }
    return new CorsOrigins(origins);
  }

  /** Why {@code origin} is not an origin a browser sends, or null if it is one. */
  private static String invalid(String origin) {
    if (origin.equals("*") || origin.equalsIgnoreCase("null")) {
      return "must name one origin, not any: http(s)://host[:port]";
    }
    try {
      URI uri = new URI(origin);
      if (uri.getScheme() == null
          || !(uri.getScheme().equalsIgnoreCase("http")
              || uri.getScheme().equalsIgnoreCase("https"))
          || uri.getHost() == null
          || uri.getRawUserInfo() != null
          || !(uri.getRawPath() == null || uri.getRawPath().isEmpty())
          || uri.getRawQuery() != null
          || uri.getRawFragment() != null) {
        return "must be an origin like https://grafana.example.org:3000, without a path";
      }
    } catch (URISyntaxException e) {
      return "must be an origin like https://grafana.example.org:3000: " + e.getReason();
    }
    return null;
  }

  /** True when CORS is on for {@code origin} (as the request's {@code Origin} header says it). */
  public boolean allows(String origin) {
    return origin != null && origins.contains(origin.strip().toLowerCase(Locale.ROOT));
  }
}
