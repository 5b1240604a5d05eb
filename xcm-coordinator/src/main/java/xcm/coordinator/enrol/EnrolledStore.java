package xcm.coordinator.enrol;

import java.util.List;
import java.util.Set;

/**
 * Where the enrolled hosts and the revoked certificates are kept: the journal, which every
 * coordinator shares, or (for a desk of its own, as tests and the benches seed a state directory)
 * {@link EnrolledHosts}'s file. Every change raises the store's version, so that a coordinator that
 * follows another one reads only what changed since it last looked.
 */
public interface EnrolledStore {

  /**
   * What changed after {@code version}; everything for 0.
   *
   * @param version the store's version these changes bring a reader to
   * @param enrolled hosts enrolled or changed (a new URL), each as it is now
   * @param removed hosts removed (their certificates revoked) and not enrolled again since
   * @param revoked the serials revoked (hex)
   */
  record Changes(long version, List<Enrolled> enrolled, Set<String> removed, Set<String> revoked) {}

  /** What changed after {@code version}. */
  Changes since(long version);

  /**
   * Saves {@code host}, new or in place of its row.
   *
   * @return the store's version with it
   */
  long put(Enrolled host);

  /**
   * Removes {@code host} and revokes its certificate, in one step.
   *
   * @return the store's version without it
   */
  long remove(Enrolled host);
}
