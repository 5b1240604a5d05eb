package xcm.agent.migration;

import java.util.Optional;
import xcm.mbeans.ObjectNames;
import xcm.mbeans.config.Settings;
import xcm.serve.Grants;
import xcm.serve.JolokiaConfig;

/**
 * How this agent logs in to other agents' Jolokia when it migrates a domain to them: keys {@code
 * peer.user} and {@code peer.password} (or {@code peer.password-file}). By default the agents of a
 * cluster share them: this agent's own peer user ({@link #ROLE}, keys {@code jolokia.peer.*}). With
 * neither, the agent has none ({@link #NONE}) and migrates nothing: its own operator password is
 * never sent to another host, which may be a password of this agent alone.
 */
public record PeerConfig(String user, String password) {

  /** No credentials for other agents: migrations from this agent are refused. */
  public static final PeerConfig NONE = new PeerConfig("", "");

  /**
   * The role of other agents on this agent's Jolokia ({@code jolokia.peer.user}, default {@code
   * peer}, and {@code jolokia.peer.password(-file)}; off unless set): exactly what a source asks of
   * its destination ({@link JolokiaPeer}) and nothing else. For a hand-over, define the domain,
   * start it or remove the copy it defined ({@link IncomingMigrations}); for a live migration, read
   * the host (where its libvirtd takes domains, its free memory) and libvirt's figures of the
   * migration afterwards.
   */
  public static final JolokiaConfig.LimitedRole ROLE =
      new JolokiaConfig.LimitedRole(
          "peer",
          "peer",
          "the Jolokia user of other agents handing domains over to this one",
          Grants.role("peer")
              .exec(
                  ObjectNames.hostOperations(),
                  "prepareIncoming",
                  "finishIncoming",
                  "abortIncoming",
                  "completedMigration")
              .read(ObjectNames.host()));

  /**
   * Reads the {@code peer.*} keys, falling back to the user and password of this agent's peer role
   * in {@code jolokia}; {@link #NONE} when there is neither.
   */
  public static PeerConfig load(Settings s, JolokiaConfig jolokia) {
    Optional<JolokiaConfig.Credentials> own =
        jolokia.limited(ROLE.grants().role()).map(JolokiaConfig.LimitedUser::credentials);
    Optional<String> user = s.string("peer.user");
    // Both keys are looked at first so that either counts as set (and as a known key).
    boolean given =
        s.string("peer.password").isPresent() | s.readableFile("peer.password-file").isPresent();
    if (given) {
      return new PeerConfig(
          user.orElse(own.map(JolokiaConfig.Credentials::user).orElse(ROLE.defaultUser())),
          s.secret("peer.password", "to log in to other agents"));
    }
    return own.map(c -> new PeerConfig(user.orElse(c.user()), c.password())).orElse(NONE);
  }

  @Override
  public String toString() {
    return "PeerConfig[user=" + user + ", password=***]";
  }
}
