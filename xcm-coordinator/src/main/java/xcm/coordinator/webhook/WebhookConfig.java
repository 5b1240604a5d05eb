package xcm.coordinator.webhook;

import java.time.Duration;
import java.util.Optional;
import xcm.mbeans.config.ConfigException;
import xcm.mbeans.config.Settings;
import xcm.serve.http.DoorLimits;

/**
 * The Alertmanager webhook: keys {@code webhook.token|token-file|address|port|max-body|remember|
 * balance-policy} and the door's limits ({@link DoorLimits}: {@code webhook.threads}, {@code
 * webhook.header-timeout}, ...). The webhook runs only with a bearer token: without one it is off,
 * and giving its port without a token fails start-up.
 *
 * @param maxBodyBytes larger request bodies are refused (413) while being read
 * @param remember how long an alert that started an action is remembered, so that the same alert
 *     delivered again starts nothing
 * @param balancePolicy the policy of a balance an alert asks for without an {@code xcm_policy}
 *     label
 * @param limits threads, timeouts and connection caps of the webhook's door
 */
public record WebhookConfig(
    String address,
    int port,
    String token,
    long maxBodyBytes,
    Duration remember,
    String balancePolicy,
    DoorLimits limits) {

  public static final int DEFAULT_PORT = 9290;

  /** Alertmanager sends one request per group at a time; a few threads serve several groups. */
  public static final int DEFAULT_THREADS = 4;

  static final int MIN_TOKEN_LENGTH = 16;

  public WebhookConfig {
    if (token == null || token.length() < MIN_TOKEN_LENGTH) {
      throw new IllegalArgumentException(
          "the webhook's bearer token must have at least " + MIN_TOKEN_LENGTH + " characters");
    }
  }

  /** The door's default limits. */
  public WebhookConfig(
      String address,
      int port,
      String token,
      long maxBodyBytes,
      Duration remember,
      String balancePolicy) {
    this(
        address,
        port,
        token,
        maxBodyBytes,
        remember,
        balancePolicy,
        DoorLimits.defaults(DEFAULT_THREADS));
  }

  /** Reads the {@code webhook.*} keys; empty when no token is configured. */
  public static Optional<WebhookConfig> load(Settings s) {
    String address = s.address("webhook.address", "127.0.0.1");
    Optional<Integer> port = s.port("webhook.port");
    long maxBody = s.bytes("webhook.max-body", 1L << 20);
    if (maxBody < 1024 || maxBody > Integer.MAX_VALUE) {
      throw new ConfigException(
          s.prefix() + "webhook.max-body", String.valueOf(maxBody), "must be between 1k and 2g");
    }
    Duration remember = s.duration("webhook.remember", Duration.ofHours(24));
    String policy = s.string("webhook.balance-policy", "weighted");
    DoorLimits limits = DoorLimits.load(s, "webhook", DEFAULT_THREADS);
    boolean tokenGiven =
        s.string("webhook.token").isPresent() || s.string("webhook.token-file").isPresent();
    if (!tokenGiven) {
      if (port.isPresent()) {
        throw new ConfigException(
            s.prefix() + "webhook.token",
            null,
            "required (or "
                + s.prefix()
                + "webhook.token-file) when "
                + s.prefix()
                + "webhook.port is set: the webhook never runs without a bearer token");
      }
      return Optional.empty();
    }
    String token = s.secret("webhook.token", "the webhook's bearer token");
    if (token.length() < MIN_TOKEN_LENGTH || token.chars().anyMatch(Character::isWhitespace)) {
      throw new ConfigException(
          s.prefix() + "webhook.token",
          "***",
          "must be at least " + MIN_TOKEN_LENGTH + " characters without spaces");
    }
    return Optional.of(
        new WebhookConfig(
            address, port.orElse(DEFAULT_PORT), token, maxBody, remember, policy, limits));
  }

  @Override
  public String toString() {
    return "WebhookConfig[address="
        + address
        + ", port="
        + port
        + ", token=***, maxBodyBytes="
        + maxBodyBytes
        + ", remember="
        + remember
        + ", balancePolicy="
        + balancePolicy
        + ", limits="
        + limits
        + "]";
  }
}
