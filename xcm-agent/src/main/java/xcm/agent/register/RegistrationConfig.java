package xcm.agent.register;

import java.util.Optional;
import xcm.mbeans.config.Settings;

/**
 * Where an agent registers itself: keys {@code coordinator.url|user|password} and {@code
 * advertise-url} (the Jolokia URL the coordinator should use for this agent; default: the one
 * Jolokia listens on). The user is the coordinator's registration user ({@code
 * xcm.coordinator.jolokia.registration.*}, default {@code registrar}), who may execute {@code
 * addHost} and nothing else: a host that is broken into holds no password that acts on the cluster.
 */
public record RegistrationConfig(String url, String user, String password, String advertiseUrl) {

  /** Reads the keys; empty when {@code coordinator.url} is not set. */
  public static Optional<RegistrationConfig> load(Settings s) {
    Optional<String> url = s.string("coordinator.url");
    String user = s.string("coordinator.user", "registrar");
    String advertise = s.string("advertise-url").orElse(null);
    if (url.isEmpty()) {
      // Read so that they count as known keys; without a URL they have nothing to do.
      s.string("coordinator.password");
      s.string("coordinator.password-file");
      return Optional.empty();
    }
    String password =
        s.secret(
            "coordinator.password", "the password of the coordinator's registration user " + user);
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
