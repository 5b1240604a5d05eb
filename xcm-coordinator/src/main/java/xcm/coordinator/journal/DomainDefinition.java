package xcm.coordinator.journal;

import java.time.Instant;
import java.util.Objects;

/**
 * A domain's libvirt definition as last collected, and where it last ran: what a restart defines on
 * another host when that one fails.
 *
 * @param host the host it last ran on (or was last seen on, shut off)
 * @param running whether it ran there when last seen: only those restart
 * @param rules its placement rules in text form, as its agent read them
 * @param digest the agent's digest of {@code xml}: a changed digest is fetched again
 * @param xml the persistent definition, including XCM's placement metadata
 */
public record DomainDefinition(
    String uuid,
    String name,
    String host,
    boolean running,
    long memoryBytes,
    int vcpus,
    String rules,
    String digest,
    String xml,
    Instant seenAt) {

  /** The largest definition the journal keeps; a larger one is reported, not kept. */
  public static final int MAX_XML_CHARS = 262_144;

  public DomainDefinition {
    Objects.requireNonNull(uuid, "uuid");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(host, "host");
    rules = rules == null ? "" : rules;
    Objects.requireNonNull(digest, "digest");
    Objects.requireNonNull(xml, "xml");
    if (xml.length() > MAX_XML_CHARS) {
      throw new IllegalArgumentException(
          "the definition of domain "
              + name
              + " has "
              + xml.length()
              + " characters, more than the "
              + MAX_XML_CHARS
              + " the journal keeps");
    }
    Objects.requireNonNull(seenAt, "seenAt");
  }

  /** The same definition, last seen on {@code where}, running or not, at {@code at}. */
  public DomainDefinition seen(
      String where, boolean runs, long memory, int cpus, String text, Instant at) {
    return new DomainDefinition(uuid, name, where, runs, memory, cpus, text, digest, xml, at);
  }
}
