package xcm.agent.migration;

import java.util.Optional;
import xcm.mbeans.ObjectNames;
import xcm.mbeans.config.Settings;
import xcm.serve.Grants;
import xcm.serve.JolokiaConfig;

/**
 * How this agent logs in to other agents' Jolokia when it migrates a domain to them: keys {@code
 * peer.user} and {@code peer.password} (or {@code peer.password-file}). By default the agents of a
 * cluster share them: this agent's own peer user ({@link #ROLE}, keys {@code jolokia.peer.*}) when
 * it has one, else its own Jolokia operator user and password.
 */
public record PeerConfig(String user, String password) {

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
   * in {@code jolokia}, or when it has none to its operator's.
   */
  public static PeerConfig load(Settings s, JolokiaConfig jolokia) {
    Optional<JolokiaConfig.Credentials> own =
        jolokia.limited(ROLE.grants().role()).map(JolokiaConfig.LimitedUser::credentials);
    String user =
        s.string("peer.user", own.map(JolokiaConfig.Credentials::user).orElse(jolokia.user()));
    // Both keys are looked at first so that either counts as set (and as a known key).
    boolean given =
        s.string("peer.password").isPresent() | s.readableFile("peer.password-file").isPresent();
    String password =
        given
            ? s.secret("peer.password", "to log in to other agents")
            : own.map(JolokiaConfig.Credentials::password).orElse(jolokia.password());
    return new PeerConfig(user, password);
  }

  @Override
  public String toString() {
    return "PeerConfig[user=" + user + ", password=***]";
  }
}
