package xcm.serve;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.management.ObjectName;
import org.jolokia.server.core.util.RequestType;

/**
 * What a limited Jolokia role may do: execute a fixed set of operations of named MBeans and read
 * the attributes of other named MBeans; besides that only ask Jolokia's {@code version}, which
 * every client may ask. No {@code list}, {@code search}, {@code write} or anything else, and no
 * MBean that is not named. {@link JolokiaAccess} enforces it for every request Jolokia runs, each
 * request of a bulk request and GET URLs included.
 *
 * <pre>{@code
 * Grants peer = Grants.role("peer")
 *     .exec(ObjectNames.hostOperations(), "prepareIncoming", "finishIncoming")
 *     .read(ObjectNames.host());
 * peer.describe();  // exec of xcm:type=HostOperations prepareIncoming/finishIncoming,
 *                   // read of xcm:type=Host, version
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 *
 * @param role the role's name in refusals: {@code user hosts has the registration role (...)}
 * @param execs per MBean, the operations it may execute, by name (any signature)
 * @param reads MBeans every attribute of which it may read
 */
public record Grants(String role, Map<ObjectName, List<String>> execs, Set<ObjectName> reads) {

  public Grants {
    if (role == null || role.isBlank()) {
      throw new IllegalArgumentException("a role needs a name");
    }
    Map<ObjectName, List<String>> copy = new LinkedHashMap<>();
    execs.forEach((mbean, operations) -> copy.put(exact(mbean), List.copyOf(operations)));
    execs = Collections.unmodifiableMap(copy);
    Set<ObjectName> readable = new LinkedHashSet<>();
    reads.forEach(mbean -> readable.add(exact(mbean)));
    reads = Collections.unmodifiableSet(readable);
  }

  /** A role that may do nothing but ask the version, until given more. */
  public static Grants role(String role) {
    return new Grants(role, Map.of(), Set.of());
  }

  /** These grants and the execution of {@code operations} of {@code mbean}. */
  public Grants exec(ObjectName mbean, String... operations) {
    Map<ObjectName, List<String>> more = new LinkedHashMap<>(execs);
    List<String> allowed = new ArrayList<>(more.getOrDefault(mbean, List.of()));
    for (String operation : operations) {
      if (operation.isEmpty() || operation.contains("(")) {
        throw new IllegalArgumentException(
            "grant an operation by its name alone, found: \"" + operation + "\"");
      }
      allowed.add(operation);
    }
    more.put(mbean, allowed);
    return new Grants(role, more, reads);
  }

  /** These grants and the reading of every attribute of {@code mbean}. */
  public Grants read(ObjectName mbean) {
    Set<ObjectName> more = new LinkedHashSet<>(reads);
    more.add(mbean);
    return new Grants(role, execs, more);
  }

  /** The request types these grants may need: exec, read (where granted) and version. */
  boolean allows(RequestType type) {
    return type == RequestType.VERSION
        || (type == RequestType.EXEC && !execs.isEmpty())
        || (type == RequestType.READ && !reads.isEmpty());
  }

  /**
   * True for a granted operation of {@code mbean}, named as Jolokia hands it to a restrictor: by
   * its name, or by its name and signature ({@code add(int)}).
   */
  boolean mayExec(ObjectName mbean, String operation) {
    for (String allowed : execs.getOrDefault(mbean, List.of())) {
      if (operation.equals(allowed) || operation.startsWith(allowed + "(")) {
        return true;
      }
    }
    return false;
  }

  boolean mayRead(ObjectName mbean) {
    return reads.contains(mbean);
  }

  /**
   * What the role may do, for refusals: {@code exec of xcm:type=Operations addHost, version}, or
   * {@code exec of xcm:type=HostOperations prepareIncoming/finishIncoming, read of xcm:type=Host,
   * version}.
   */
  public String describe() {
    List<String> parts = new ArrayList<>();
    execs.forEach(
        (mbean, operations) -> parts.add("exec of " + mbean + " " + String.join("/", operations)));
    reads.forEach(mbean -> parts.add("read of " + mbean));
    parts.add("version");
    return String.join(", ", parts);
  }

  private static ObjectName exact(ObjectName mbean) {
    if (mbean.isPattern()) {
      throw new IllegalArgumentException("grant MBeans by their exact name, found: " + mbean);
    }
    return mbean;
  }
}
