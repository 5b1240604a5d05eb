package xcm.serve;

import java.security.AccessController;
import java.util.concurrent.atomic.AtomicInteger;
import javax.security.auth.Subject;

/** {@code test:type=Counter}: counts the operations that reached it. */
public final class Counter implements CounterMBean {
  private final AtomicInteger count = new AtomicInteger();
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

  @Override
  public int increment() {
    return count.incrementAndGet();
  }

  @Override
  public int add(int n) {
    if (n < 0) {
      throw new IllegalArgumentException("cannot add " + n + ": only 0 or more");
    }
    return count.addAndGet(n);
  }

  @Override
  @SuppressWarnings("removal")
  public String caller() {
    Subject subject = Subject.getSubject(AccessController.getContext());
    return subject == null ? "nobody" : subject.getPrincipals(JolokiaPrincipal.class).toString();
  }

  @Override
  public void broken() {
    throw new IllegalStateException("a bug");
  }
}
