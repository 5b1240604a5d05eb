package xcm.serve;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.security.AccessController;
import javax.security.auth.Subject;

/**
 * The subject an MBean operation runs as: the authenticated caller of a JMX remote call, or of a
 * Jolokia request ({@link JolokiaPrincipal}). Java 18 added {@code Subject.current()}, and from
 * Java 23 on the old way, {@code Subject.getSubject(AccessController.getContext())}, throws {@link
 * UnsupportedOperationException}; this takes the new call where the runtime has it and the old one
 * on Java 17, so that one jar runs on 17, 21 and 25.
 *
 * <pre>{@code
 * Subject caller = CallerSubject.current(); // null outside an authenticated call
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class CallerSubject {
  private static final MethodHandle CURRENT = current(MethodHandles.publicLookup());

  private CallerSubject() {}

  /** The subject of the call running on this thread, or null when it has none. */
  @SuppressWarnings("removal")
  public static Subject current() {
    if (CURRENT == null) {
      return Subject.getSubject(AccessController.getContext());
    }
    try {
      return (Subject) CURRENT.invokeExact();
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable e) {
      throw new IllegalStateException("Subject.current() failed", e);
    }
  }

  /** {@code Subject.current()}, or null on a runtime without it (Java 17). */
  static MethodHandle current(MethodHandles.Lookup lookup) {
    try {
      return lookup.findStatic(Subject.class, "current", MethodType.methodType(Subject.class));
    } catch (NoSuchMethodException e) {
      return null;
    } catch (IllegalAccessException e) {
      throw new IllegalStateException("Subject.current() is not accessible", e);
    }
  }
}
