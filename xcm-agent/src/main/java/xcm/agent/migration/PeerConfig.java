package xcm.agent.migration;

import xcm.mbeans.config.Settings;
import xcm.serve.JolokiaConfig;

/**
 * How this agent logs in to other agents' Jolokia when it migrates a domain to them: keys {@code
 * peer.user} and {@code peer.password} (or {@code peer.password-file}), by default this agent's own
 * Jolokia user and password, since the agents of one cluster normally share them.
 */
public record PeerConfig(String user, String password) {

  /** Reads the {@code peer.*} keys, falling back to {@code jolokia}'s user and password. */
  public static PeerConfig load(Settings s, JolokiaConfig jolokia) {
    String user = s.string("peer.user", jolokia.user());
    // Both keys are looked at first so that either counts as set (and as a known key).
    boolean own =
        s.string("peer.password").isEmpty() && s.readableFile("peer.password-file").isEmpty();
    String password =
        own ? jolokia.password() : s.secret("peer.password", "to log in to other agents");
    return new PeerConfig(user, password);
  }

  @Override
  public String toString() {
    return "PeerConfig[user=" + user + ", password=***]";
  }
}
