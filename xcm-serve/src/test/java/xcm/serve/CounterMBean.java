package xcm.serve;

/** A test MBean with an attribute, a writable attribute and an operation. */
public interface CounterMBean {
  int getCount();

  int getLimit();

  void setLimit(int limit);

  int increment();

  /** Adds {@code n}; throws IllegalArgumentException for a negative one, as XCM's operations do. */
  int add(int n);

  /** Who called, as the calling subject says: its {@link JolokiaPrincipal}s, or "nobody". */
  String caller();

  /** Always fails as a bug would. */
  void broken();
}
