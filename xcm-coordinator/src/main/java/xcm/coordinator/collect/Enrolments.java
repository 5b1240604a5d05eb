package xcm.coordinator.collect;

import java.util.Optional;

/**
 * Which host is enrolled at which agent URL, as the collector asks it: an agent joins under the
 * name enrolled at its URL and no other, an enrolled host joins only from its own URL, and it must
 * report the libvirt host UUID its certificate names, every round. URLs are in the collector's
 * spelling (ending in {@code /}). Thread-safe.
 */
public interface Enrolments {
  /** No host is enrolled: agents join under the names they report. */
  Enrolments NONE =
      new Enrolments() {
        @Override
        public Optional<String> hostAt(String url) {
          return Optional.empty();
        }

        @Override
        public Optional<String> urlOf(String host) {
          return Optional.empty();
        }

        @Override
        public Optional<String> libvirtUuidOf(String host) {
          return Optional.empty();
        }
      };

  /** The host enrolled with its agent at {@code url}. */
  Optional<String> hostAt(String url);

  /** The URL {@code host} is enrolled at. */
  Optional<String> urlOf(String host);

  /** The libvirt host UUID {@code host}'s certificate names, lower case. */
  Optional<String> libvirtUuidOf(String host);

  /**
   * Why an agent at {@code url} reporting {@code host} and libvirt host UUID {@code hostUuid}
   * (empty when it knows none) is not who is enrolled there: another host is enrolled at that URL,
   * the host is enrolled at another URL, or it enrolled with another UUID (its disk moved to
   * another machine, say). Empty when it is, or when neither the URL nor the host is enrolled.
   */
  default Optional<String> check(String url, String host, String hostUuid) {
    Optional<String> enrolled = hostAt(url);
    if (enrolled.isPresent() && !enrolled.get().equals(host)) {
      return Optional.of(
          "agent at "
              + url
              + " reports host "
              + host
              + ", but host "
              + enrolled.get()
              + " is enrolled there");
    }
    Optional<String> home = urlOf(host);
    if (home.isPresent() && !home.get().equals(url)) {
      return Optional.of(
          "agent at "
              + url
              + " reports host "
              + host
              + ", which is enrolled at "
              + home.get()
              + ": an enrolled host joins from its own URL only");
    }
    Optional<String> uuid = libvirtUuidOf(host);
    if (uuid.isPresent() && !uuid.get().equals(hostUuid)) {
      return Optional.of(
          "agent at "
              + url
              + " reports libvirt host UUID "
              + (hostUuid.isEmpty() ? "none" : hostUuid)
              + ", but host "
              + host
              + " was enrolled with "
              + uuid.get());
    }
    return Optional.empty();
  }
}
