package xcm.mbeans;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanInfo;
import javax.management.MBeanOperationInfo;
import javax.management.MBeanParameterInfo;
import javax.management.StandardMBean;

/**
 * Registers an MXBean implementation with the descriptions and parameter names declared on its
 * interface through {@link Description} and {@link Param}, so that JConsole shows them.
 *
 * <pre>{@code
 * server.registerMBean(DescribedMXBean.of(new HostView(...), HostMXBean.class), ObjectNames.host());
 * }</pre>
 *
 * <p>Every attribute and operation of the interface must carry a {@link Description}; a missing one
 * fails fast here rather than showing an empty tooltip to an operator.
 *
 * <p>Thread-safe once constructed.
 */
public final class DescribedMXBean<T> extends StandardMBean {
  private final Class<T> mxbeanInterface;
  private final Map<String, String> attributes = new HashMap<>();
  private final Map<String, Method> operations = new HashMap<>();

  private DescribedMXBean(T implementation, Class<T> mxbeanInterface) {
    super(implementation, mxbeanInterface, true);
    this.mxbeanInterface = mxbeanInterface;
    for (Method method : mxbeanInterface.getMethods()) {
      Description description = method.getAnnotation(Description.class);
      if (description == null) {
        throw new IllegalArgumentException(
            mxbeanInterface.getName() + "." + method.getName() + " has no @Description");
      }
      String attribute = Attributes.name(method);
      if (attribute != null) {
        attributes.put(attribute, description.value());
      } else {
        operations.put(operationKey(method.getName(), method.getParameterTypes().length), method);
      }
    }
  }

  /** Wraps {@code implementation} so that its MBeanInfo carries the interface's descriptions. */
  public static <T> DescribedMXBean<T> of(T implementation, Class<T> mxbeanInterface) {
    return new DescribedMXBean<>(implementation, mxbeanInterface);
  }

  @Override
  protected String getDescription(MBeanInfo info) {
    Description description = mxbeanInterface.getAnnotation(Description.class);
    return description != null ? description.value() : super.getDescription(info);
  }

  @Override
  protected String getDescription(MBeanAttributeInfo info) {
    return attributes.getOrDefault(info.getName(), super.getDescription(info));
  }

  @Override
  protected String getDescription(MBeanOperationInfo info) {
    Method method = operations.get(operationKey(info.getName(), info.getSignature().length));
    return method != null
        ? method.getAnnotation(Description.class).value()
        : super.getDescription(info);
  }

  @Override
  protected String getParameterName(MBeanOperationInfo op, MBeanParameterInfo param, int sequence) {
    Param annotation = param(op, sequence);
    return annotation != null ? annotation.name() : super.getParameterName(op, param, sequence);
  }

  @Override
  protected String getDescription(MBeanOperationInfo op, MBeanParameterInfo param, int sequence) {
    Param annotation = param(op, sequence);
    return annotation != null ? annotation.value() : super.getDescription(op, param, sequence);
  }

  private Param param(MBeanOperationInfo op, int sequence) {
    Method method = operations.get(operationKey(op.getName(), op.getSignature().length));
    if (method == null) {
      return null;
    }
    return Arrays.stream(method.getParameterAnnotations()[sequence])
        .filter(Param.class::isInstance)
        .map(Param.class::cast)
        .findFirst()
        .orElse(null);
  }

  private static String operationKey(String name, int arity) {
    return name + "/" + arity;
  }
}
