package xcm.coordinator.collect;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import xcm.client.Credentials;
import xcm.mbeans.AgentUrls;

/**
 * The credentials the coordinator presents to each agent as the agents' cluster user: one shared
 * password ({@link #shared}), or one password per agent derived from a master secret ({@link
 * #derived}), so that a host that is broken into learns only its own.
 *
 * <p>A derived password is {@code base64url(HMAC-SHA256(master, "xcm-agent-password/1 " +
 * identity))} without padding, where the identity is the agent's Jolokia URL as {@link #identity}
 * spells it: lower-case scheme and host, explicit port, path ending in '/'. The coordinator knows
 * it before it logs in (from its configuration, {@code addHost}, or an agent registering), and an
 * operator computes it for the agent's configuration with {@code ./xcm agent-password}. An agent
 * reached under two URLs (a name and an address) has two passwords.
 *
 * <pre>{@code
 * AgentCredentials credentials = AgentCredentials.derived("xcm", master);
 * String password = credentials.password("http://hv01.example.org:8778/jolokia");
 * }</pre>
 *
 * <p>Thread-safe. {@link #toString} shows no secret.
 */
public final class AgentCredentials implements Credentials {
  /** Keeps these passwords apart from any other use of the same master secret. */
  private static final String LABEL = "xcm-agent-password/1 ";

  private static final String HMAC = "HmacSHA256";
  private static final int MAX_CACHED = 4096;

  private final String user;
  private final String secret;
  private final boolean derived;
  private final Map<String, String> authorizations = new ConcurrentHashMap<>();

  private AgentCredentials(String user, String secret, boolean derived) {
    if (secret == null || secret.isEmpty()) {
      throw new IllegalArgumentException("the agents' password is empty");
    }
    this.user = user;
    this.secret = secret;
    this.derived = derived;
  }

  /** Every agent checks the same {@code password}. */
  public static AgentCredentials shared(String user, String password) {
    return new AgentCredentials(user, password, false);
  }

  /** Each agent checks the password {@link #derive derived} from {@code master} for its URL. */
  public static AgentCredentials derived(String user, String master) {
    return new AgentCredentials(user, master, true);
  }

  public String user() {
    return user;
  }

  /** True when each agent has a password of its own. */
  public boolean isDerived() {
    return derived;
  }

  /**
   * The password of the agent at {@code url}.
   *
   * @throws IllegalArgumentException naming the URL when passwords are derived and it is not an
   *     http(s) URL
   */
  public String password(String url) {
    return derived ? derive(secret, url) : secret;
  }

  /**
   * The {@code Authorization} header for the agent at {@code url}, computed once per URL.
   *
   * @throws IllegalArgumentException as {@link #password}
   */
  @Override
  public String authorization(String url) {
    String key = derived ? url : "";
    String cached = authorizations.get(key);
    if (cached != null) {
      return cached;
    }
    String header = Credentials.basicAuthorization(user, password(url));
    // Bounded: URLs come from addHost too, and a stream of bogus ones must not fill the heap.
    if (authorizations.size() < MAX_CACHED) {
      authorizations.put(key, header);
    }
    return header;
  }

  @Override
  public String description() {
    return "the coordinator's credentials";
  }

  /**
   * The password of the agent at {@code url} under {@code master}.
   *
   * @throws IllegalArgumentException naming the URL when it is not an http(s) URL
   */
  public static String derive(String master, String url) {
    if (master == null || master.isEmpty()) {
      throw new IllegalArgumentException("the master secret is empty");
    }
    try {
      Mac mac = Mac.getInstance(HMAC);
      mac.init(new SecretKeySpec(master.getBytes(StandardCharsets.UTF_8), HMAC));
      byte[] digest = mac.doFinal((LABEL + identity(url)).getBytes(StandardCharsets.UTF_8));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      // Every Java SE runtime has HmacSHA256, and it takes keys of any length.
      throw new IllegalStateException("HmacSHA256 is not available: " + e.getMessage(), e);
    }
  }

  /**
   * The agent's identity: its Jolokia URL with lower-case scheme and host, an explicit port (80 or
   * 443 when none is given) and a path ending in '/', e.g. {@code http://hv01:8778/jolokia/}.
   *
   * @throws IllegalArgumentException naming the URL when it is not an http(s) URL with a host, or
   *     carries a user, a query or a fragment
   */
  public static String identity(String url) {
    try {
      return AgentUrls.normalise(url).toString();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "'"
              + AgentUrls.redacted(url == null ? "" : url.strip())
              + "' is not an agent's Jolokia URL: "
              + e.getMessage(),
          e);
    }
  }

  @Override
  public String toString() {
    return "AgentCredentials[user="
        + user
        + (derived ? ", password derived per agent from ***]" : ", password=***]");
  }
}
