package xcm.mbeans;

import java.lang.reflect.Array;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Attribute names of an MXBean interface taken from its getters, so that whoever reads attributes
 * by name (a Jolokia bulk read, its parser) names them through the interface: renaming a getter
 * breaks the build, never silently the reads.
 *
 * <pre>{@code
 * String cpus = Attributes.name(HostMXBean.class, HostMXBean::getCpus);  // "Cpus"
 * List<String> some = Attributes.names(HostMXBean.class, HostMXBean::getName, HostMXBean::isStale);
 * }</pre>
 *
 * <p>The getter is called once on a recording proxy of the interface, which answers every call with
 * the return type's default value. Thread-safe: stateless.
 */
public final class Attributes {
  private Attributes() {}

  /**
   * The name of the attribute {@code getter} reads, by the MXBean rules: {@code getCpus} and {@code
   * isStale} give {@code Cpus} and {@code Stale}.
   *
   * @throws IllegalArgumentException when {@code getter} calls no method of {@code mxbean}, or one
   *     that is an operation rather than a getter
   */
  public static <T> String name(Class<T> mxbean, Function<? super T, ?> getter) {
    Method[] called = new Method[1];
    T recorder =
        mxbean.cast(
            Proxy.newProxyInstance(
                mxbean.getClassLoader(),
                new Class<?>[] {mxbean},
                (proxy, method, args) -> {
                  if (called[0] == null) {
                    called[0] = method;
                  }
                  return defaultValue(method.getReturnType());
                }));
    getter.apply(recorder);
    if (called[0] == null) {
      throw new IllegalArgumentException("the getter calls no method of " + mxbean.getName());
    }
    String name = name(called[0]);
    if (name == null) {
      throw new IllegalArgumentException(
          mxbean.getSimpleName() + "." + called[0].getName() + " is not an attribute's getter");
    }
    return name;
  }

  /** The names of the attributes {@code getters} read, in their order; see {@link #name}. */
  @SafeVarargs
  public static <T> List<String> names(Class<T> mxbean, Function<? super T, ?>... getters) {
    List<String> names = new ArrayList<>(getters.length);
    for (Function<? super T, ?> getter : getters) {
      names.add(name(mxbean, getter));
    }
    return List.copyOf(names);
  }

  /**
   * The attribute {@code method} reads under the MXBean naming rules ({@code getX}, or {@code isX}
   * returning boolean, without parameters), or null when it is an operation.
   */
  public static String name(Method method) {
    String name = method.getName();
    if (method.getParameterCount() != 0 || method.getReturnType() == void.class) {
      return null;
    }
    if (name.startsWith("get") && name.length() > 3) {
      return name.substring(3);
    }
    if (name.startsWith("is") && name.length() > 2 && method.getReturnType() == boolean.class) {
      return name.substring(2);
    }
    return null;
  }

  /** What an unset field of {@code type} holds: null, or a primitive's zero (boxed). */
  private static Object defaultValue(Class<?> type) {
    return type.isPrimitive() && type != void.class
        ? Array.get(Array.newInstance(type, 1), 0)
        : null;
  }
}
