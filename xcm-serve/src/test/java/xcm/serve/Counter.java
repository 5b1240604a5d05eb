package xcm.serve;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.security.auth.Subject;

/** {@code test:type=Counter}: counts the operations that reached it, and who called them. */
public final class Counter implements CounterMBean {
  private final AtomicInteger count = new AtomicInteger();
  private final List<String> callers = new CopyOnWriteArrayList<>();
  private volatile int limit = 10;

  @Override
  public int getCount() {
    return count.get();
  }

  @Override
  public int getLimit() {
    return limit;
  }

  @Override
  public void setLimit(int limit) {
    this.limit = limit;
  }

  /** The Jolokia user of each increment and add, in order; not part of the MBean. */
  List<String> callers() {
    return callers;
  }

  @Override
  public int increment() {
    callers.add(user());
    return count.incrementAndGet();
  }

  @Override
  public int add(int n) {
    if (n < 0) {
      throw new IllegalArgumentException("cannot add " + n + ": only 0 or more");
    }
    callers.add(user());
    return count.addAndGet(n);
  }

  @Override
  public String caller() {
    Subject subject = subject();
    return subject == null ? "nobody" : subject.getPrincipals(JolokiaPrincipal.class).toString();
  }

  private static String user() {
    Subject subject = subject();
    return subject == null
        ? "none"
        : subject.getPrincipals(JolokiaPrincipal.class).stream()
            .map(JolokiaPrincipal::user)
            .findFirst()
            .orElse("none");
  }

  private static Subject subject() {
    return CallerSubject.current();
  }

  @Override
  public void broken() {
    throw new IllegalStateException("a bug");
  }
}
