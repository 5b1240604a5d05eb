package xcm.agent.register;

import java.util.Optional;
import xcm.mbeans.config.Settings;

/**
 * Where an agent registers itself: keys {@code coordinator.url|user|password} and {@code
 * advertise-url} (the Jolokia URL the coordinator should use for this agent; default: the one
 * Jolokia listens on).
 */
public record RegistrationConfig(String url, String user, String password, String advertiseUrl) {

  /** Reads the keys; empty when {@code coordinator.url} is not set. */
  public static Optional<RegistrationConfig> load(Settings s) {
    Optional<String> url = s.string("coordinator.url");
    String user = s.string("coordinator.user", "xcm");
    String advertise = s.string("advertise-url").orElse(null);
    if (url.isEmpty()) {
      // Read so that they count as known keys; without a URL they have nothing to do.
      s.string("coordinator.password");
      s.string("coordinator.password-file");
      return Optional.empty();
    }
    String password =
        s.secret("coordinator.password", "the coordinator's Jolokia password, to register");
    return Optional.of(new RegistrationConfig(url.get(), user, password, advertise));
  }

  @Override
  public String toString() {
    return "RegistrationConfig[url="
        + url
        + ", user="
        + user
        + ", password=***, advertiseUrl="
        + advertiseUrl
        + "]";
  }
}
