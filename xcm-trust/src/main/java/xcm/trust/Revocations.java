package xcm.trust;

import java.math.BigInteger;
import java.util.Collection;
import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;

/**
 * The serial numbers of the cluster certificates that are revoked, as an immutable value: a trust
 * manager asks it for every handshake, the cluster authority keeps the current one on disk and
 * hands out the new value after each revocation.
 *
 * <pre>{@code
 * Revocations revoked = Revocations.none().with(peer.serial());
 * revoked.isRevoked(certificate.getSerialNumber());   // true
 * }</pre>
 *
 * Immutable and thread-safe. Serials are unique within one cluster authority (128 random bits).
 */
public final class Revocations {
  private static final Revocations NONE = new Revocations(Set.of());

  private final Set<BigInteger> serials;

  private Revocations(Set<BigInteger> serials) {
    this.serials = serials;
  }

  public static Revocations none() {
    return NONE;
  }

  public static Revocations of(Collection<BigInteger> serials) {
    return serials.isEmpty() ? NONE : new Revocations(Set.copyOf(serials));
  }

  public boolean isRevoked(BigInteger serial) {
    return serials.contains(serial);
  }

  /** This list with one more serial. */
  public Revocations with(BigInteger serial) {
    if (serials.contains(serial)) {
      return this;
    }
    TreeSet<BigInteger> more = new TreeSet<>(serials);
    more.add(serial);
    return new Revocations(Set.copyOf(more));
  }

  /** The revoked serials, sorted. */
  public Set<BigInteger> serials() {
    return Collections.unmodifiableSortedSet(new TreeSet<>(serials));
  }

  /**
   * The text form, as the cluster authority stores it and a coordinator may hand it to its hosts:
   * one serial a line, lower-case hex.
   */
  public String text() {
    StringBuilder text = new StringBuilder();
    for (BigInteger serial : serials()) {
      text.append(serial.toString(16)).append('\n');
    }
    return text.toString();
  }

  /**
   * Reads the {@link #text()} form; empty lines and lines starting with {@code #} are skipped.
   *
   * @throws IllegalArgumentException naming the line that is not a serial
   */
  public static Revocations parse(String text) {
    Set<BigInteger> serials = new TreeSet<>();
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      if (line.length() > 40 || !line.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
        throw new IllegalArgumentException(
            "line "
                + (i + 1)
                + ": "
                + Printable.quote(line)
                + " is not a certificate serial (hex)");
      }
      serials.add(new BigInteger(line, 16));
    }
    return of(serials);
  }

  public int size() {
    return serials.size();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Revocations r && serials.equals(r.serials);
  }

  @Override
  public int hashCode() {
    return serials.hashCode();
  }

  @Override
  public String toString() {
    return "Revocations" + serials().stream().map(s -> s.toString(16)).toList();
  }
}
