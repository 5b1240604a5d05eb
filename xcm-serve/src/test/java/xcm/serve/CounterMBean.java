package xcm.serve;

/** A test MBean with an attribute, a writable attribute and an operation. */
public interface CounterMBean {
  int getCount();

  int getLimit();

  void setLimit(int limit);

  int increment();
}
