package xcm.serve;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import javax.management.ObjectName;
import javax.management.remote.JMXPrincipal;
import javax.security.auth.Subject;
import org.jolokia.server.core.service.api.Restrictor;
import org.jolokia.server.core.util.RequestType;
import xcm.serve.JmxRoles.JmxRole;

/**
 * Who is making a JMX remote call and what the Jolokia access policy lets that caller's role do:
 * the decisions {@link PolicyForwarder} applies to every call. The caller is the {@link
 * JMXPrincipal} of the call's subject, its role the access file's ({@link JmxRoles}), each decision
 * {@link JolokiaAccess}'s restrictor over the process's policy. A refusal is a {@link
 * SecurityException} naming the user, the role, what was asked and why.
 *
 * <p>A call without a subject is one the connector makes itself (on Java 17 it drops the caller's
 * subject around its notification buffer and class loaders): it may look (list, query, listen) but
 * never read, execute or write.
 *
 * <p>Immutable and thread-safe.
 */
final class JmxAccess {
  static final String POLICY = "the access policy (the one Jolokia applies) does not allow it";

  /** An authenticated user, its role, and the role's decisions over the policy. */
  private record Caller(String user, JmxRole role, Restrictor decisions) {
    SecurityException refused(String what, String why) {
      return new SecurityException(
          "user " + user + " (JMX " + role.describe() + "): " + what + " refused: " + why);
    }
  }

  private final Restrictor policy;
  private final Map<String, Caller> callers = new HashMap<>();

  /**
   * @param policy the process's Jolokia access policy
   * @param roles the role of each JMX user
   */
  JmxAccess(Restrictor policy, JmxRoles roles) {
    this.policy = policy;
    roles
        .all()
        .forEach(
            (user, role) ->
                callers.put(
                    user,
                    new Caller(
                        user, role, JolokiaAccess.restrictor(policy, user, role.jolokiaRole()))));
  }

  /** The caller; empty for a call the connector makes without a subject. */
  private Optional<Caller> caller(String what) {
    Subject subject = CallerSubject.current();
    if (subject == null) {
      return Optional.empty();
    }
    Set<JMXPrincipal> users = subject.getPrincipals(JMXPrincipal.class);
    if (users.size() != 1) {
      throw new SecurityException(
          "a JMX call as " + users.size() + " users " + users + ": " + what + " refused");
    }
    String user = users.iterator().next().getName();
    Caller caller = callers.get(user);
    if (caller == null) {
      throw new SecurityException(
          "user " + user + " has no role in the JMX access file: " + what + " refused");
    }
    return Optional.of(caller);
  }

  /** The caller of what only a user may do: read, execute, write. */
  private Caller user(String what) {
    return caller(what)
        .orElseThrow(
            () ->
                new SecurityException(
                    "no authenticated JMX user on this call: " + what + " refused"));
  }

  /** A refusal of {@code what} for {@code why}, naming the caller. */
  SecurityException refused(String what, String why) {
    return caller(what)
        .map(c -> c.refused(what, why))
        .orElseGet(
            () -> new SecurityException("no authenticated JMX user: " + what + " refused: " + why));
  }

  /** Metadata of one MBean, also listening to it (Jolokia's {@code list}). */
  void list(ObjectName name, String what) {
    Optional<Caller> caller = caller(what);
    if (caller.isPresent() && !caller.get().decisions().isTypeAllowed(RequestType.LIST)) {
      throw caller.get().refused(what, POLICY);
    }
    if (hidden(name)) {
      throw refused(what, "the access policy hides that MBean");
    }
  }

  /** Names and counts (Jolokia's {@code search}). */
  void search(String what) {
    Optional<Caller> caller = caller(what);
    if (caller.isPresent() && !caller.get().decisions().isTypeAllowed(RequestType.SEARCH)) {
      throw caller.get().refused(what, POLICY);
    }
  }

  /** True for an MBean the policy hides from every role. */
  boolean hidden(ObjectName name) {
    return name != null && policy.isObjectNameHidden(name);
  }

  /** The attributes of {@code name} the caller may read; throws when it may read none. */
  Predicate<String> readable(ObjectName name) {
    Caller caller = user("read of " + name);
    return attribute -> !hidden(name) && caller.decisions().isAttributeReadAllowed(name, attribute);
  }

  void read(ObjectName name, String attribute) {
    String what = "read of " + name + " " + attribute;
    Caller caller = user(what);
    if (hidden(name) || !caller.decisions().isAttributeReadAllowed(name, attribute)) {
      throw caller.refused(what, POLICY);
    }
  }

  void write(ObjectName name, String attribute) {
    String what = "write of " + name + " " + attribute;
    Caller caller = user(what);
    if (hidden(name) || !caller.decisions().isAttributeWriteAllowed(name, attribute)) {
      throw caller.refused(what, POLICY);
    }
  }

  void exec(ObjectName name, String operation) {
    String what = "exec of " + name + " " + operation;
    Caller caller = user(what);
    if (hidden(name) || !caller.decisions().isOperationAllowed(name, operation)) {
      throw caller.refused(what, POLICY);
    }
  }
}
