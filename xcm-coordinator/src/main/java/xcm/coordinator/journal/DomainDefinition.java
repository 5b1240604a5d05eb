package xcm.coordinator.journal;

import java.time.Instant;
import java.util.Objects;

/**
 * What the coordinator keeps in memory of a domain's libvirt definition as last collected, and
 * where it last ran: which domains a failed host ran, and what they need. The definition itself
 * (its XML, a few KB a domain: most of a large cluster's heap if kept) stays in the journal ({@link
 * FetchedDefinition}, {@link Journal#definitionXml}), read when a restart defines it elsewhere.
 *
 * @param host the host it last ran on (or was last seen on, shut off)
 * @param running whether it ran there when last seen: only those restart
 * @param rules its placement rules in text form, as its agent read them
 * @param digest the agent's digest of the definition: a changed digest is fetched again
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
    Instant seenAt) {

  public DomainDefinition {
    Objects.requireNonNull(uuid, "uuid");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(host, "host");
    rules = rules == null ? "" : rules;
    Objects.requireNonNull(digest, "digest");
    Objects.requireNonNull(seenAt, "seenAt");
  }

  /** The same definition, last seen on {@code where}, running or not, at {@code at}. */
  public DomainDefinition seen(
      String where, boolean runs, long memory, int cpus, String text, Instant at) {
    return new DomainDefinition(uuid, name, where, runs, memory, cpus, text, digest, at);
  }
}
