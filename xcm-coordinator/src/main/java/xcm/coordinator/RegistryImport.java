package xcm.coordinator;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import xcm.coordinator.enrol.EnrolledHosts;
import xcm.coordinator.enrol.EnrolmentDesk;
import xcm.coordinator.inventory.MembershipFile;
import xcm.coordinator.journal.JournalException;
import xcm.coordinator.journal.RegistryRows;
import xcm.serve.StartException;
import xcm.trust.ca.ClusterAuthority;
import xcm.trust.enrol.EnrolmentTokens;
import xcm.trust.enrol.FileTokenStore;

/**
 * Opens the cluster authority in the state directory and makes sure it is the one the journal's
 * hosts were enrolled with. The first coordinator started on a journal records its authority there,
 * with what its state directory held before the journal kept it (enrolled hosts, revoked
 * certificates, enrolment tokens, members), all in one transaction; the files are then renamed
 * {@code *.imported}. Every other coordinator needs a copy of that authority ({@code ca/}): one
 * with none, or another, does not start, rather than issue certificates the others refuse.
 */
final class RegistryImport {
  private static final Logger log = LoggerFactory.getLogger(RegistryImport.class);

  private RegistryImport() {}

  /**
   * The enrolment desk of a coordinator on {@code registry}, with the authority of {@link #open}.
   *
   * @param mandate the epoch this coordinator acts under; throws on a standby
   * @throws StartException naming what is missing or cannot be read
   */
  static EnrolmentDesk desk(Path stateDir, RegistryRows registry, LongSupplier mandate, Clock clock)
      throws StartException {
    ClusterAuthority authority = open(stateDir, registry, clock);
    try {
      return new EnrolmentDesk(
          authority,
          new EnrolmentTokens(registry.tokens(), clock, new SecureRandom()),
          registry.enrolled(),
          mandate,
          clock);
    } catch (JournalException e) {
      throw new StartException(e.getMessage(), e);
    }
  }

  /**
   * The authority this coordinator signs with, the journal's.
   *
   * @throws StartException naming the authority the journal holds and what this coordinator lacks
   */
  private static ClusterAuthority open(Path stateDir, RegistryRows registry, Clock clock)
      throws StartException {
    Path ca = stateDir.resolve("ca");
    try {
      Optional<String> recorded = registry.authority();
      if (recorded.isPresent() && !Files.exists(ca.resolve("ca.crt"))) {
        throw new StartException(
            "the journal's hosts are enrolled with the cluster authority "
                + recorded.get()
                + ", and "
                + ca
                + " holds none: copy the ca directory of the coordinator that made it here (mode"
                + " 700), then start this one",
            null);
      }
      ClusterAuthority authority = EnrolmentDesk.authority(stateDir, clock);
      String own = authority.fingerprint().toString();
      if (recorded.isEmpty()) {
        if (bringIn(stateDir, registry, authority)) {
          return authority;
        }
        recorded = registry.authority();
      }
      if (!recorded.orElseThrow().equals(own)) {
        throw new StartException(
            "the journal's hosts are enrolled with the cluster authority "
                + recorded.get()
                + ", and this coordinator's ("
                + ca
                + ") is "
                + own
                + ": give every coordinator a copy of one authority's ca directory",
            null);
      }
      return authority;
    } catch (IOException e) {
      throw new StartException("cannot open the cluster's authority: " + e.getMessage(), e);
    } catch (JournalException e) {
      throw new StartException(e.getMessage(), e);
    }
  }

  /** Whether this coordinator recorded its authority and its files (none had before). */
  private static boolean bringIn(Path stateDir, RegistryRows registry, ClusterAuthority authority)
      throws IOException {
    EnrolledHosts enrolled = new EnrolledHosts(stateDir);
    FileTokenStore tokens = new FileTokenStore(stateDir.resolve("ca"));
    MembershipFile members = new MembershipFile(stateDir);
    Map<String, String> revoked = new TreeMap<>();
    for (BigInteger serial : authority.revocations().serials()) {
      revoked.put(serial.toString(16), "");
    }
    RegistryRows.Seed seed =
        new RegistryRows.Seed(
            authority.fingerprint().toString(),
            enrolled.load(),
            revoked,
            tokens.load(),
            members.load());
    if (!registry.adopt(seed)) {
      return false;
    }
    for (Path kept : new Path[] {enrolled.file(), tokens.file(), members.file()}) {
      if (Files.exists(kept)) {
        Files.move(
            kept,
            kept.resolveSibling(kept.getFileName() + ".imported"),
            StandardCopyOption.REPLACE_EXISTING);
      }
    }
    log.info(
        "the journal keeps who the hosts are from now on: {} enrolled, {} members, {} tokens,"
            + " {} revoked certificates brought in from {}",
        seed.enrolled().size(),
        seed.members().size(),
        seed.tokens().size(),
        revoked.size(),
        stateDir);
    return true;
  }
}
