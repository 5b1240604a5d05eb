package xcm.mbeans;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanInfo;
import javax.management.MBeanOperationInfo;
import javax.management.MBeanParameterInfo;
import javax.management.NotificationBroadcaster;
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
  // What an interface declares, read once per interface rather than once per MBean: an agent
  // registers one MBean per domain, each of which held its own copies.
  private static final ClassValue<Descriptions> DESCRIPTIONS =
      new ClassValue<>() {
        @Override
        protected Descriptions computeValue(Class<?> mxbeanInterface) {
          return Descriptions.of(mxbeanInterface);
        }
      };

  // The MBeanInfo built for an implementation class and interface, shared by all their MBeans: it
  // depends on nothing else (unless the implementation sends notifications, see shared), and it is
  // immutable. One per domain was about 0.5 MB of an agent's heap at 200 domains.
  private static final ClassValue<Map<Class<?>, MBeanInfo>> INFO =
      new ClassValue<>() {
        @Override
        protected Map<Class<?>, MBeanInfo> computeValue(Class<?> implementation) {
          return new ConcurrentHashMap<>();
        }
      };

  private final Class<T> mxbeanInterface;
  private final Descriptions descriptions;
  // An implementation that sends notifications describes them itself, per instance. False too
  // while StandardMBean's constructor runs, before this class's fields are set.
  private final boolean shared;

  private DescribedMXBean(T implementation, Class<T> mxbeanInterface, Descriptions descriptions) {
    super(implementation, mxbeanInterface, true);
    this.mxbeanInterface = mxbeanInterface;
    this.descriptions = descriptions;
    this.shared = !(implementation instanceof NotificationBroadcaster);
  }

  /** Wraps {@code implementation} so that its MBeanInfo carries the interface's descriptions. */
  public static <T> DescribedMXBean<T> of(T implementation, Class<T> mxbeanInterface) {
    return new DescribedMXBean<>(
        implementation, mxbeanInterface, DESCRIPTIONS.get(mxbeanInterface));
  }

  @Override
  protected MBeanInfo getCachedMBeanInfo() {
    if (!shared) {
      return super.getCachedMBeanInfo();
    }
    return INFO.get(getImplementationClass()).get(mxbeanInterface);
  }

  @Override
  protected void cacheMBeanInfo(MBeanInfo info) {
    if (!shared) {
      super.cacheMBeanInfo(info);
    } else if (info != null) {
      INFO.get(getImplementationClass()).putIfAbsent(mxbeanInterface, info);
    }
  }

  @Override
  protected String getDescription(MBeanInfo info) {
    Description description = mxbeanInterface.getAnnotation(Description.class);
    return description != null ? description.value() : super.getDescription(info);
  }

  @Override
  protected String getDescription(MBeanAttributeInfo info) {
    return descriptions.attributes().getOrDefault(info.getName(), super.getDescription(info));
  }

  @Override
  protected String getDescription(MBeanOperationInfo info) {
    Method method =
        descriptions.operations().get(operationKey(info.getName(), info.getSignature().length));
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
    Method method =
        descriptions.operations().get(operationKey(op.getName(), op.getSignature().length));
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

  /** The descriptions of an interface's attributes, and its operations by name and arity. */
  private record Descriptions(Map<String, String> attributes, Map<String, Method> operations) {
    static Descriptions of(Class<?> mxbeanInterface) {
      Map<String, String> attributes = new HashMap<>();
      Map<String, Method> operations = new HashMap<>();
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
      return new Descriptions(Map.copyOf(attributes), Map.copyOf(operations));
    }
  }
}
