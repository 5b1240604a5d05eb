package xcm.serve;

import com.sun.net.httpserver.Authenticator;
import com.sun.net.httpserver.BasicAuthenticator;
import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpPrincipal;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import javax.management.ObjectName;
import javax.security.auth.Subject;
import org.jolokia.json.JSONObject;
import org.jolokia.json.parser.JSONParser;
import org.jolokia.json.parser.ParseException;
import org.jolokia.server.core.config.ConfigKey;
import org.jolokia.server.core.service.api.Restrictor;
import org.jolokia.server.core.util.HttpMethod;
import org.jolokia.server.core.util.RequestType;

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
 * <p>Two parts work together on each request's thread: the {@link #filter()} checks the basic-auth
 * credentials (401 otherwise), limits the body's size (413), remembers the caller's role for the
 * request and has Jolokia run it as a subject holding a {@link JolokiaPrincipal}, and the {@link
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
  private final long maxBodyBytes;

  /** The caller of the request this thread serves. */
  private record Caller(String user, Role role, Grants grants) {
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
    users.add(user(config.user(), config.password(), Role.OPERATOR, null));
    config.monitor().ifPresent(m -> users.add(user(m.user(), m.password(), Role.MONITOR, null)));
    for (JolokiaConfig.LimitedUser limited : config.limited()) {
      users.add(
          user(
              limited.credentials().user(),
              limited.credentials().password(),
              Role.LIMITED,
              limited.grants()));
    }
    this.maxBodyBytes = config.maxBodyBytes();
  }

  private static User user(String name, String password, Role role, Grants grants) {
    return new User(
        name.getBytes(StandardCharsets.UTF_8),
        password.getBytes(StandardCharsets.UTF_8),
        role,
        grants);
  }

  /**
   * Basic authentication against the configured users, in time independent of where they differ.
   */
  BasicAuthenticator authenticator() {
    return new BasicAuthenticator("xcm") {
      @Override
      public boolean checkCredentials(String name, String password) {
        return roleOf(name, password) != null;
      }
    };
  }

  private Role roleOf(String name, String password) {
    byte[] givenName = name.getBytes(StandardCharsets.UTF_8);
    byte[] givenPassword = password.getBytes(StandardCharsets.UTF_8);
    Role found = null;
    for (User user : users) {
      // Both compared for every user: no early exit tells which part was wrong.
      boolean nameMatches = MessageDigest.isEqual(givenName, user.name());
      boolean passwordMatches = MessageDigest.isEqual(givenPassword, user.password());
      if (nameMatches & passwordMatches) {
        found = user.role();
      }
    }
    return found;
  }

  private Caller callerOf(HttpPrincipal principal) {
    byte[] name = principal.getUsername().getBytes(StandardCharsets.UTF_8);
    for (User user : users) {
      if (MessageDigest.isEqual(name, user.name())) {
        return new Caller(principal.getUsername(), user.role(), user.grants());
      }
    }
    return null;
  }

  /**
   * Authentication, the body limit, then the request with its caller's role. (The JDK server runs a
   * context's filters before its authenticator, so the filter authenticates itself.)
   */
  Filter filter() {
    BasicAuthenticator authenticator = authenticator();
    return new Filter() {
      @Override
      public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
        Authenticator.Result result;
        try {
          result = authenticator.authenticate(exchange);
        } catch (RuntimeException e) {
          // The JDK's BasicAuthenticator throws on an Authorization header that is not Base64.
          result = null;
        }
        Caller caller =
            result instanceof Authenticator.Success success
                ? callerOf(success.getPrincipal())
                : null;
        if (caller == null) {
          refuse(exchange, 401, "authentication required: a user and password of this process");
          return;
        }
        if (!exchange.getRequestMethod().equalsIgnoreCase("GET")) {
          byte[] body = readAtMost(exchange.getRequestBody());
          if (body == null) {
            refuse(exchange, 413, "request body larger than " + maxBodyBytes + " bytes");
            return;
          }
          String malformed = malformed(body);
          if (malformed != null) {
            refuse(exchange, 400, "the request is not JSON: " + malformed);
            return;
          }
          exchange.setStreams(new ByteArrayInputStream(body), null);
        }
        // Errors of the caller's making answered 400, not Jolokia's 500.
        HttpExchange request = ResponseExchange.of(exchange);
        // Jolokia runs the request as this subject: operations see who asked.
        request.setAttribute(ConfigKey.JAAS_SUBJECT_REQUEST_ATTRIBUTE, subject(caller, exchange));
        current.set(caller);
        try {
          chain.doFilter(request);
        } finally {
          current.remove();
        }
      }

      @Override
      public String description() {
        return "XCM roles and request size limit";
      }
    };
  }

  /** The authenticated user, with the client's own User-Agent: {@link JolokiaPrincipal}. */
  private static Subject subject(Caller caller, HttpExchange exchange) {
    String userAgent = exchange.getRequestHeaders().getFirst("User-Agent");
    Subject subject = new Subject();
    subject
        .getPrincipals()
        .add(new JolokiaPrincipal(caller.user(), userAgent == null ? "" : userAgent));
    subject.setReadOnly();
    return subject;
  }

  /**
   * Why a POST body is not JSON, or null when it is. Jolokia's parser answers a truncated body with
   * an IllegalStateException, which Jolokia reports as its own fault (500); the same parser here
   * turns it into the caller's (400).
   */
  private static String malformed(byte[] body) {
    try {
      new JSONParser().parse(new String(body, StandardCharsets.UTF_8));
      return null;
    } catch (ParseException | IOException | RuntimeException e) {
      String message = String.valueOf(e.getMessage());
      return message.length() > 200 ? message.substring(0, 200) + "..." : message;
    }
  }

  /** The body, or null when it is larger than the limit (the rest is left unread). */
  private byte[] readAtMost(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    long total = 0;
    for (int n; (n = in.read(buffer)) > 0; ) {
      total += n;
      if (total > maxBodyBytes) {
        return null;
      }
      out.write(buffer, 0, n);
    }
    return out.toByteArray();
  }

  /**
   * Answers {@code status} with the reason. The rest of the request body is read first (up to a
   * bound): a server that closes a connection with unread data resets it, and the client may lose
   * the answer.
   */
  private static void refuse(HttpExchange exchange, int status, String reason) throws IOException {
    JSONObject answer = new JSONObject();
    answer.put("status", status);
    answer.put("error", reason);
    byte[] body = answer.toJSONString().getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
    if (!drain(exchange.getRequestBody())) {
      exchange.getResponseHeaders().set("Connection", "close");
    }
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  /** Reads and drops what is left of a request body; false if more than 16 MiB were left. */
  static boolean drain(InputStream in) {
    byte[] buffer = new byte[8192];
    long left = 16L << 20;
    try {
      for (int n; (n = in.read(buffer)) > 0; ) {
        left -= n;
        if (left < 0) {
          return false;
        }
      }
      return true;
    } catch (IOException e) {
      return false;
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
    return restrictor(policy, current::get);
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
    return restrictor(policy, () -> caller);
  }

  private static Restrictor restrictor(Restrictor policy, Supplier<Caller> callers) {
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
        return policy.isOriginAllowed(origin, strictCheck);
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
