package xcm.coordinator.enrol;

import java.math.BigInteger;
import java.net.URI;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import xcm.trust.Revocations;

/**
 * The enrolled hosts as one immutable value, looked up by name, by URL and by the address a TLS
 * handshake sees, with the serials revoked: every handshake reads it without waiting for a change
 * being written.
 *
 * @param version the store's version it reflects
 */
record EnrolledIndex(
    Map<String, Enrolled> byHost,
    Map<String, Enrolled> byUrl,
    Map<String, Enrolled> byAddress,
    Set<BigInteger> revoked,
    long version) {

  static final EnrolledIndex EMPTY = of(Map.of(), Set.of(), 0);

  private static EnrolledIndex of(
      Map<String, Enrolled> hosts, Set<BigInteger> revoked, long version) {
    Map<String, Enrolled> byUrl = new HashMap<>();
    Map<String, Enrolled> byAddress = new HashMap<>();
    // By host name, the first wins where two were enrolled at one URL, as a scan would find it.
    for (Enrolled e : hosts.values()) {
      byUrl.putIfAbsent(e.url(), e);
      URI url = URI.create(e.url());
      String h = url.getHost();
      if (h.startsWith("[") && h.endsWith("]")) {
        h = h.substring(1, h.length() - 1);
      }
      byAddress.putIfAbsent(address(h, url.getPort() < 0 ? 443 : url.getPort()), e);
    }
    return new EnrolledIndex(
        Collections.unmodifiableMap(hosts),
        byUrl,
        byAddress,
        Collections.unmodifiableSet(revoked),
        version);
  }

  static String address(String host, int port) {
    return host.toLowerCase(Locale.ROOT) + " " + port;
  }

  /** This index with {@code host} saved, at {@code version} (or later, if it is already later). */
  EnrolledIndex with(Enrolled host, long version) {
    Map<String, Enrolled> hosts = new TreeMap<>(byHost);
    hosts.put(host.host(), host);
    return of(hosts, revoked, Math.max(version, this.version));
  }

  /** This index without {@code host}, its certificate revoked. */
  EnrolledIndex without(Enrolled host, long version) {
    Map<String, Enrolled> hosts = new TreeMap<>(byHost);
    hosts.remove(host.host());
    Set<BigInteger> more = new HashSet<>(revoked);
    more.add(new BigInteger(host.serial(), 16));
    return of(hosts, more, Math.max(version, this.version));
  }

  /** This index with what the store says changed: removals first, then the hosts as they are. */
  EnrolledIndex with(EnrolledStore.Changes changes) {
    Map<String, Enrolled> hosts = new TreeMap<>(byHost);
    changes.removed().forEach(hosts::remove);
    changes.enrolled().forEach(e -> hosts.put(e.host(), e));
    Set<BigInteger> more = new HashSet<>(revoked);
    changes.revoked().forEach(serial -> more.add(new BigInteger(serial, 16)));
    return of(hosts, more, Math.max(changes.version(), version));
  }

  /** The serials revoked here and those {@code alsoRevoked}, as a trust manager asks for them. */
  Revocations revocations(Collection<BigInteger> alsoRevoked) {
    Set<BigInteger> all = new HashSet<>(revoked);
    all.addAll(alsoRevoked);
    return Revocations.of(all);
  }
}
