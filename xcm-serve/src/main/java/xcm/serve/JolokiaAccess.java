package xcm.serve;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import java.util.function.Supplier;
import javax.management.ObjectName;
import javax.security.auth.Subject;
import org.jolokia.server.core.service.api.Restrictor;
import org.jolokia.server.core.util.HttpMethod;
import org.jolokia.server.core.util.RequestType;
import org.jolokia.server.core.util.SubjectAccess;
import org.jolokia.server.core.util.SubjectAccessProvider;

/**
 * Who may do what through one Jolokia endpoint. Jolokia's own agent knows one user and one policy
 * for everybody; XCM adds roles:
 *
 * <ul>
 *   <li>{@link Role#OPERATOR} — everything the access policy allows, operations included: the
 *       coordinator's user on an agent, the operators' user on the coordinator;
 *   <li>{@link Role#MONITOR} — only {@code read}, {@code list}, {@code search} and {@code version},
 *       within the same policy: dashboards, scripts, people who watch;
 *   <li>{@link Role#LIMITED} — only the execs and reads its {@link Grants} name (and {@code
 *       version}), within the same policy: on the coordinator, agents registering themselves
 *       ({@code addHost}); on an agent, the other agents handing a domain over to it.
 * </ul>
 *
 * <p>Three steps on each request's thread: {@link #authenticate(ClientCredentials)} finds the
 * caller among the configured users from what the client presented (the door answers 401
 * otherwise), {@link #runAs} has Jolokia run the request as a subject holding a {@link
 * JolokiaPrincipal} with the caller's role remembered for the request, and the {@link
 * #restrictor(Restrictor)} — consulted by Jolokia for every request of a bulk request, after
 * Jolokia's own parsing — refuses what the role does not allow (Jolokia's status 403), so that no
 * difference between how XCM and Jolokia read a request can let a monitor or a limited user do what
 * its role does not allow.
 *
 * <p>Thread-safe.
 */
final class JolokiaAccess {
  /** What a user may do. */
  enum Role {
    OPERATOR,
    MONITOR,
    /** What the user's {@link Grants} name, and the version. */
    LIMITED
  }

  private static final Set<RequestType> MONITOR_TYPES =
      EnumSet.of(RequestType.READ, RequestType.LIST, RequestType.SEARCH, RequestType.VERSION);

  /** A user; {@code grants} for a limited one, else null. */
  private record User(byte[] name, byte[] password, Role role, Grants grants) {}

  private final List<User> users = new ArrayList<>();
  private final CertificateUsers certificateUsers;
  private final CorsOrigins cors;
  private final SubjectAccess subjects = SubjectAccessProvider.getSubjectAccess();

  /** An authenticated caller: its user, its role and, for a limited one, its grants. */
  record Caller(String user, Role role, Grants grants) {
    boolean allows(RequestType type) {
      return switch (role) {
        case OPERATOR -> true;
        case MONITOR -> MONITOR_TYPES.contains(type);
        case LIMITED -> grants.allows(type);
      };
    }
  }

  private final ThreadLocal<Caller> current = new ThreadLocal<>();

  JolokiaAccess(JolokiaConfig config) {
    this(config, CertificateUsers.NONE);
  }

  JolokiaAccess(JolokiaConfig config, CertificateUsers certificateUsers) {
    this.certificateUsers = certificateUsers;
    if (config.password() != null) {
      users.add(user(config.user(), config.password(), Role.OPERATOR, null));
    }
    config.monitor().ifPresent(m -> users.add(user(m.user(), m.password(), Role.MONITOR, null)));
    for (JolokiaConfig.LimitedUser limited : config.limited()) {
      users.add(
          user(
              limited.credentials().user(),
              limited.credentials().password(),
              Role.LIMITED,
              limited.grants()));
    }
    this.cors = config.cors();
  }

  private static User user(String name, String password, Role role, Grants grants) {
    return new User(
        name.getBytes(StandardCharsets.UTF_8),
        password.getBytes(StandardCharsets.UTF_8),
        role,
        grants);
  }

  /**
   * The caller {@code presented} credentials of, or empty when they name no configured user. A
   * client whose certificate the {@link CertificateUsers} say stands for a user is that user, its
   * password (if it sent one too) not looked at. Otherwise the Basic user and password are compared
   * with every user's, in time independent of where they differ: a certificate that stands for
   * nobody (a person's, or one a key store's trust let in) still needs a password.
   */
  Optional<Caller> authenticate(ClientCredentials presented) {
    Optional<CertificateUsers.User> byCertificate =
        presented.certificates().isEmpty()
            ? Optional.empty()
            : certificateUsers.of(presented.certificates().get(0));
    if (byCertificate.isPresent()) {
      CertificateUsers.User u = byCertificate.get();
      return Optional.of(
          new Caller(
              u.name(),
              u.grants().isPresent() ? Role.LIMITED : Role.OPERATOR,
              u.grants().orElse(null)));
    }
    if (presented.basic().isEmpty()) {
      return Optional.empty();
    }
    JolokiaConfig.Credentials basic = presented.basic().get();
    byte[] givenName = basic.user().getBytes(StandardCharsets.UTF_8);
    byte[] givenPassword = basic.password().getBytes(StandardCharsets.UTF_8);
    User found = null;
    for (User user : users) {
      // Both compared for every user: no early exit tells which part was wrong.
      boolean nameMatches = MessageDigest.isEqual(givenName, user.name());
      boolean passwordMatches = MessageDigest.isEqual(givenPassword, user.password());
      if (nameMatches & passwordMatches) {
        found = user;
      }
    }
    return found == null
        ? Optional.empty()
        : Optional.of(new Caller(basic.user(), found.role(), found.grants()));
  }

  /**
   * Runs {@code request} as {@code caller}: Jolokia's restrictor sees the caller's role, and MBean
   * operations the subject of a {@link JolokiaPrincipal} with the client's own {@code User-Agent}
   * (empty if none).
   */
  <T> T runAs(Caller caller, String userAgent, Callable<T> request) {
    Subject subject = new Subject();
    subject.getPrincipals().add(new JolokiaPrincipal(caller.user(), userAgent));
    subject.setReadOnly();
    current.set(caller);
    try {
      return subjects.callAs(subject, request);
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(
          "request of " + caller.user() + " failed as its subject: " + e, e);
    } finally {
      current.remove();
    }
  }

  /** Why {@code caller}'s role refuses {@code what}, for Jolokia's answer with status 403. */
  private static SecurityException refused(Caller caller, String what) {
    String role =
        switch (caller.role()) {
          case OPERATOR -> "the operator role";
          case MONITOR -> "the read-only monitor role (read, list, search, version)";
          case LIMITED ->
              "the " + caller.grants().role() + " role (" + caller.grants().describe() + ")";
        };
    return new SecurityException(
        "user " + caller.user() + " has " + role + ": " + what + " refused");
  }

  /**
   * The access policy, narrowed by the caller's role. What the role does not allow is refused with
   * a reason naming the user and the role (Jolokia answers it with status 403); what the policy
   * does not allow, with Jolokia's own message.
   */
  Restrictor restrictor(Restrictor policy) {
    return restrictor(policy, current::get, cors::allows);
  }

  /**
   * The same decisions for a caller known without an HTTP request: a JMX remote connection's user
   * and the role its access file gives it ({@link PolicyForwarder}). Only the operator and the
   * monitor role: a limited role needs {@link Grants}.
   */
  static Restrictor restrictor(Restrictor policy, String user, Role role) {
    if (role == Role.LIMITED) {
      throw new IllegalArgumentException("user " + user + ": a limited role needs its grants");
    }
    Caller caller = new Caller(user, role, null);
    // No browser calls over JMX: an Origin never comes, and none is allowed.
    return restrictor(policy, () -> caller, origin -> false);
  }

  private static Restrictor restrictor(
      Restrictor policy, Supplier<Caller> callers, Predicate<String> origins) {
    return new Restrictor() {
      /** The caller if its role allows the type; throws naming user and role if not. */
      private Caller role(RequestType type, String what) {
        Caller caller = callers.get();
        if (caller != null && !caller.allows(type)) {
          throw refused(caller, what);
        }
        return caller;
      }

      @Override
      public boolean isHttpMethodAllowed(HttpMethod method) {
        return policy.isHttpMethodAllowed(method);
      }

      @Override
      public boolean isTypeAllowed(RequestType type) {
        // Not on a request thread of this endpoint (caller null): nothing is allowed.
        return role(type, type.getName()) != null && policy.isTypeAllowed(type);
      }

      @Override
      public boolean isAttributeReadAllowed(ObjectName name, String attribute) {
        String what = "read of " + name + (attribute == null ? "" : " " + attribute);
        Caller caller = role(RequestType.READ, what);
        if (caller == null) {
          return false;
        }
        if (caller.role() == Role.LIMITED && !caller.grants().mayRead(name)) {
          throw refused(caller, what);
        }
        return policy.isAttributeReadAllowed(name, attribute);
      }

      @Override
      public boolean isAttributeWriteAllowed(ObjectName name, String attribute) {
        return role(RequestType.WRITE, "write of " + name + " " + attribute) != null
            && policy.isAttributeWriteAllowed(name, attribute);
      }

      @Override
      public boolean isOperationAllowed(ObjectName name, String operation) {
        String what = "exec of " + name + " " + operation;
        Caller caller = role(RequestType.EXEC, what);
        if (caller == null) {
          return false;
        }
        if (caller.role() == Role.LIMITED && !caller.grants().mayExec(name, operation)) {
          throw refused(caller, what);
        }
        return policy.isOperationAllowed(name, operation);
      }

      @Override
      public boolean isRemoteAccessAllowed(String... hostOrAddress) {
        return policy.isRemoteAccessAllowed(hostOrAddress);
      }

      @Override
      public boolean isOriginAllowed(String origin, boolean strictCheck) {
        // Only the origins configured for CORS, whatever the policy file says; no Origin at all is
        // a client that is not a browser.
        return origin == null || origins.test(origin);
      }

      @Override
      public boolean isObjectNameHidden(ObjectName name) {
        return policy.isObjectNameHidden(name);
      }

      @Override
      public boolean ignoreScheme() {
        return policy.ignoreScheme();
      }
    };
  }
}
