package xcm.serve;

import java.security.Principal;

/**
 * The caller of one Jolokia request: the user its credentials authenticated, and the {@code
 * User-Agent} its client sent (empty if none). Jolokia runs each request as a {@link
 * javax.security.auth.Subject} holding this principal, so that an MBean operation can tell who
 * asked:
 *
 * <pre>{@code
 * Subject subject = CallerSubject.current();
 * subject.getPrincipals(JolokiaPrincipal.class)   // [xcm (xcm-cli)]
 * }</pre>
 *
 * <p>The user is proven; the user agent is only what the client says of itself, a label of its own
 * requests and nothing more.
 */
public record JolokiaPrincipal(String user, String userAgent) implements Principal {
  @Override
  public String getName() {
    return user;
  }

  @Override
  public String toString() {
    return user + " (" + userAgent + ")";
  }
}
