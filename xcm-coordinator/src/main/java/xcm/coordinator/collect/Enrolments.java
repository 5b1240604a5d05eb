package xcm.coordinator.collect;

import java.util.Optional;

/**
 * Which host is enrolled at which agent URL, as the collector asks it: an agent joins under the
 * name enrolled at its URL and no other, and an enrolled host joins only from its own URL. URLs are
 * in the collector's spelling (ending in {@code /}). Thread-safe.
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
      };

  /** The host enrolled with its agent at {@code url}. */
  Optional<String> hostAt(String url);

  /** The URL {@code host} is enrolled at. */
  Optional<String> urlOf(String host);
}
