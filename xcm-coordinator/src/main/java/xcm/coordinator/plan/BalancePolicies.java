package xcm.coordinator.plan;

import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * The balance policies by name: the built-ins and any found on the class path through {@link
 * ServiceLoader}.
 *
 * <pre>{@code
 * BalancePolicy weighted = BalancePolicies.installed(getClass().getClassLoader()).get("weighted");
 * }</pre>
 *
 * <p>Immutable and thread-safe once built.
 */
public final class BalancePolicies {
  private final Map<String, BalancePolicy> byName;

  private BalancePolicies(Map<String, BalancePolicy> byName) {
    this.byName = byName;
  }

  /**
   * Every policy that the class loader's {@code META-INF/services/xcm.coordinator.plan
   * .BalancePolicy} files name. Two policies with one name fail naming both classes.
   */
  public static BalancePolicies installed(ClassLoader classLoader) {
    return of(
        ServiceLoader.load(BalancePolicy.class, classLoader).stream()
            .map(ServiceLoader.Provider::get)
            .toList());
  }

  /** Exactly these policies. */
  public static BalancePolicies of(List<? extends BalancePolicy> policies) {
    Map<String, BalancePolicy> byName = new TreeMap<>();
    for (BalancePolicy policy : policies) {
      BalancePolicy previous = byName.putIfAbsent(policy.name(), policy);
      if (previous != null) {
        throw new IllegalStateException(
            "two balance policies are named \""
                + policy.name()
                + "\": "
                + previous.getClass().getName()
                + " and "
                + policy.getClass().getName());
      }
    }
    return new BalancePolicies(byName);
  }

  /** The policy of that name; an unknown name fails listing the known ones. */
  public BalancePolicy get(String name) {
    BalancePolicy policy = byName.get(name);
    if (policy == null) {
      throw new PlanRequestException(
          "unknown policy \"" + name + "\" (known: " + String.join(", ", byName.keySet()) + ")");
    }
    return policy;
  }

  /** All policies, by name. */
  public List<BalancePolicy> all() {
    return List.copyOf(byName.values());
  }
}
