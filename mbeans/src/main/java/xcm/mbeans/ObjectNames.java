package xcm.mbeans;

import java.util.Hashtable;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;

/**
 * The one place where XCM builds {@link ObjectName}s.
 *
 * <p>Values that come from outside (domain and host names) are always quoted with {@link
 * ObjectName#quote(String)}, because libvirt allows {@code , = : "} in domain names. Use {@link
 * #unquote(String)} to turn a key property back into the name.
 *
 * <pre>{@code
 * ObjectName name = ObjectNames.domain("web,01");   // xcm:type=Domain,name="web,01"
 * String domain = ObjectNames.unquote(name.getKeyProperty("name"));
 * }</pre>
 *
 * <p>Thread-safe: stateless.
 */
public final class ObjectNames {
  /** The JMX domain of every XCM MBean. */
  public static final String DOMAIN = "xcm";

  private ObjectNames() {}

  /** {@code xcm:type=Host} on an agent: host capacity, totals and sampler health. */
  public static ObjectName host() {
    return of("Host", null, null);
  }

  /** {@code xcm:type=Domain,name="<domain>"} on an agent: one per libvirt domain. */
  public static ObjectName domain(String domainName) {
    return of("Domain", "name", domainName);
  }

  /** {@code xcm:type=Domain,*}: matches every domain MBean of an agent. */
  public static ObjectName allDomains() {
    return pattern(DOMAIN + ":type=Domain,*");
  }

  /** {@code xcm:type=HostOperations} on an agent: the operations the coordinator calls. */
  public static ObjectName hostOperations() {
    return of("HostOperations", null, null);
  }

  /** {@code xcm:type=Leadership} on a coordinator: whether it acts, and which one does. */
  public static ObjectName leadership() {
    return of("Leadership", null, null);
  }

  /** {@code xcm:type=Cluster} on the coordinator: the summary view. */
  public static ObjectName cluster() {
    return of("Cluster", null, null);
  }

  /** {@code xcm:type=Cluster,host="<host>"} on the coordinator: one host's detailed view. */
  public static ObjectName clusterHost(String hostName) {
    return of("Cluster", "host", hostName);
  }

  /** {@code xcm:type=Operations} on the coordinator: migrate, balance, drain and friends. */
  public static ObjectName operations() {
    return of("Operations", null, null);
  }

  /** {@code xcm:type=Operation,id="<id>"} on the coordinator: one running or recent operation. */
  public static ObjectName operation(String operationId) {
    return of("Operation", "id", operationId);
  }

  /** {@code xcm:type=Operation,*}: matches every operation MBean of a coordinator. */
  public static ObjectName allOperations() {
    return pattern(DOMAIN + ":type=Operation,*");
  }

  /** {@code xcm:type=Enrolment} on the coordinator: hosts asking to join, and those enrolled. */
  public static ObjectName enrolment() {
    return of("Enrolment", null, null);
  }

  /** Every {@code xcm:type=Cluster,host=...} on the coordinator: the detailed views. */
  public static ObjectName allClusterHosts() {
    return pattern(DOMAIN + ":type=Cluster,host=*");
  }

  /** {@code xcm:type=Rules} on the coordinator: the VMs' placement rules. */
  public static ObjectName rules() {
    return of("Rules", null, null);
  }

  /** {@code xcm:type=Balancing} on the coordinator: continuous balancing and power saving. */
  public static ObjectName balancing() {
    return of("Balancing", null, null);
  }

  /** {@code xcm:type=Timeline} on the coordinator: domains per host over the recent past. */
  public static ObjectName timeline() {
    return of("Timeline", null, null);
  }

  /** The inverse of {@link ObjectName#quote(String)} for a key property read from a name. */
  public static String unquote(String keyProperty) {
    return keyProperty.startsWith("\"") ? ObjectName.unquote(keyProperty) : keyProperty;
  }

  private static ObjectName of(String type, String key, String value) {
    Hashtable<String, String> table = new Hashtable<>();
    table.put("type", type);
    if (key != null) {
      if (value == null || value.isEmpty()) {
        throw new IllegalArgumentException(type + " MBean needs a non-empty " + key);
      }
      table.put(key, ObjectName.quote(value));
    }
    try {
      return ObjectName.getInstance(DOMAIN, table);
    } catch (MalformedObjectNameException e) {
      throw new IllegalStateException("cannot build ObjectName for " + type + " " + value, e);
    }
  }

  private static ObjectName pattern(String pattern) {
    try {
      return ObjectName.getInstance(pattern);
    } catch (MalformedObjectNameException e) {
      throw new IllegalStateException("bad built-in pattern " + pattern, e);
    }
  }
}
