package xcm.serve;

import java.io.ObjectInputStream;
import java.util.Arrays;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import javax.management.Attribute;
import javax.management.AttributeList;
import javax.management.AttributeNotFoundException;
import javax.management.InstanceNotFoundException;
import javax.management.IntrospectionException;
import javax.management.InvalidAttributeValueException;
import javax.management.ListenerNotFoundException;
import javax.management.MBeanException;
import javax.management.MBeanInfo;
import javax.management.MBeanServer;
import javax.management.NotificationFilter;
import javax.management.NotificationListener;
import javax.management.ObjectInstance;
import javax.management.ObjectName;
import javax.management.OperationsException;
import javax.management.QueryExp;
import javax.management.ReflectionException;
import javax.management.loading.ClassLoaderRepository;
import javax.management.remote.MBeanServerForwarder;

/**
 * The process's Jolokia access policy for JMX remote callers, installed on the connector server so
 * that it sees every call a client makes after authentication; {@link JmxAccess} decides who calls
 * and what that caller's role may do. Reads of attributes the policy hides ({@code
 * java.lang:type=Runtime} {@code InputArguments}, {@code SystemProperties}), any operation it does
 * not name ({@code HotSpotDiagnostic dumpHeap}, every {@code DiagnosticCommand}) and every write
 * are refused; so is what Jolokia cannot even express: creating, registering or unregistering
 * MBeans, and making an MBean listen to another's notifications.
 *
 * <p>Both roles may list and query MBeans (the policy's {@code list} and {@code search}) and
 * receive notifications, as JConsole does to keep its tree current: XCM's MBeans send none, and the
 * JVM's carry nothing a read of the same MBean does not show. A query with a {@link
 * javax.management.QueryExp} other than an ObjectName never arrives: the connector's serial filter
 * ({@link RemoteConnector#SERIAL_FILTER}) refuses every query class, since the MBeanServer would
 * evaluate it by reading attributes past this policy.
 *
 * <p>Thread-safe.
 */
final class PolicyForwarder implements MBeanServerForwarder {
  private static final String LIFECYCLE = "no JMX role may create, register or unregister MBeans";

  private final JmxAccess access;
  private volatile MBeanServer server;

  PolicyForwarder(JmxAccess access) {
    this.access = access;
  }

  @Override
  public MBeanServer getMBeanServer() {
    return server;
  }

  @Override
  public void setMBeanServer(MBeanServer server) {
    this.server = server;
  }

  // --- reading --------------------------------------------------------------------------------

  @Override
  public Object getAttribute(ObjectName name, String attribute)
      throws MBeanException,
          AttributeNotFoundException,
          InstanceNotFoundException,
          ReflectionException {
    access.read(name, attribute);
    return server.getAttribute(name, attribute);
  }

  /**
   * The attributes the caller may read, the others left out as JMX leaves out those it cannot read
   * (JConsole then asks for each one alone and shows the refusal).
   */
  @Override
  public AttributeList getAttributes(ObjectName name, String[] attributes)
      throws InstanceNotFoundException, ReflectionException {
    Predicate<String> readable = access.readable(name);
    if (attributes == null) {
      return server.getAttributes(name, null);
    }
    String[] allowed = Arrays.stream(attributes).filter(readable).toArray(String[]::new);
    return server.getAttributes(name, allowed);
  }

  @Override
  public MBeanInfo getMBeanInfo(ObjectName name)
      throws InstanceNotFoundException, IntrospectionException, ReflectionException {
    access.list(name, "list of " + name);
    return server.getMBeanInfo(name);
  }

  @Override
  public ObjectInstance getObjectInstance(ObjectName name) throws InstanceNotFoundException {
    access.list(name, "list of " + name);
    return server.getObjectInstance(name);
  }

  @Override
  public boolean isInstanceOf(ObjectName name, String className) throws InstanceNotFoundException {
    access.list(name, "list of " + name);
    return server.isInstanceOf(name, className);
  }

  @Override
  public boolean isRegistered(ObjectName name) {
    access.search("search of " + name);
    return server.isRegistered(name) && !access.hidden(name);
  }

  @Override
  public Set<ObjectInstance> queryMBeans(ObjectName name, QueryExp query) {
    access.search("search of " + name);
    return server.queryMBeans(name, query).stream()
        .filter(i -> !access.hidden(i.getObjectName()))
        .collect(Collectors.toSet());
  }

  @Override
  public Set<ObjectName> queryNames(ObjectName name, QueryExp query) {
    access.search("search of " + name);
    return server.queryNames(name, query).stream()
        .filter(n -> !access.hidden(n))
        .collect(Collectors.toSet());
  }

  @Override
  public Integer getMBeanCount() {
    access.search("the MBean count");
    return server.getMBeanCount();
  }

  @Override
  public String getDefaultDomain() {
    access.search("the default domain");
    return server.getDefaultDomain();
  }

  @Override
  public String[] getDomains() {
    access.search("the domains");
    return server.getDomains();
  }

  // --- acting ---------------------------------------------------------------------------------

  @Override
  public Object invoke(ObjectName name, String operationName, Object[] params, String[] signature)
      throws InstanceNotFoundException, MBeanException, ReflectionException {
    access.exec(name, operationName);
    return server.invoke(name, operationName, params, signature);
  }

  @Override
  public void setAttribute(ObjectName name, Attribute attribute)
      throws InstanceNotFoundException,
          AttributeNotFoundException,
          InvalidAttributeValueException,
          MBeanException,
          ReflectionException {
    access.write(name, attribute.getName());
    server.setAttribute(name, attribute);
  }

  @Override
  public AttributeList setAttributes(ObjectName name, AttributeList attributes)
      throws InstanceNotFoundException, ReflectionException {
    for (Attribute attribute : attributes.asList()) {
      access.write(name, attribute.getName());
    }
    return server.setAttributes(name, attributes);
  }

  // --- notifications --------------------------------------------------------------------------

  /** Listening as JConsole does; also how the connector's notification buffer listens. */
  @Override
  public void addNotificationListener(
      ObjectName name, NotificationListener listener, NotificationFilter filter, Object handback)
      throws InstanceNotFoundException {
    access.list(name, "notifications of " + name);
    server.addNotificationListener(name, listener, filter, handback);
  }

  /**
   * Refused: the listener MBean's {@code handleNotification} would run, an operation of its own.
   */
  @Override
  public void addNotificationListener(
      ObjectName name, ObjectName listener, NotificationFilter filter, Object handback) {
    throw access.refused(
        "adding MBean " + listener + " as a listener of " + name,
        "no JMX role may make an MBean listen to notifications");
  }

  @Override
  public void removeNotificationListener(ObjectName name, ObjectName listener) {
    throw access.refused(
        "removing MBean " + listener + " as a listener of " + name,
        "no JMX role may make an MBean listen to notifications");
  }

  @Override
  public void removeNotificationListener(
      ObjectName name, ObjectName listener, NotificationFilter filter, Object handback) {
    removeNotificationListener(name, listener);
  }

  // A listener object never comes from a client (clients' listeners stay on their side): only the
  // connector removes its own, which nobody needs to be allowed.
  @Override
  public void removeNotificationListener(ObjectName name, NotificationListener listener)
      throws InstanceNotFoundException, ListenerNotFoundException {
    server.removeNotificationListener(name, listener);
  }

  @Override
  public void removeNotificationListener(
      ObjectName name, NotificationListener listener, NotificationFilter filter, Object handback)
      throws InstanceNotFoundException, ListenerNotFoundException {
    server.removeNotificationListener(name, listener, filter, handback);
  }

  // --- the connector's own: class loaders it reads a call's parameters with ---------------------

  @Override
  public ClassLoader getClassLoaderFor(ObjectName mbeanName) throws InstanceNotFoundException {
    return server.getClassLoaderFor(mbeanName);
  }

  @Override
  public ClassLoader getClassLoader(ObjectName loaderName) throws InstanceNotFoundException {
    return server.getClassLoader(loaderName);
  }

  @Override
  public ClassLoaderRepository getClassLoaderRepository() {
    return server.getClassLoaderRepository();
  }

  // --- never: creating, registering, unregistering, instantiating -------------------------------

  @Override
  public ObjectInstance createMBean(String className, ObjectName name) {
    throw access.refused("createMBean of " + className + " as " + name, LIFECYCLE);
  }

  @Override
  public ObjectInstance createMBean(String className, ObjectName name, ObjectName loaderName) {
    throw access.refused("createMBean of " + className + " as " + name, LIFECYCLE);
  }

  @Override
  public ObjectInstance createMBean(
      String className, ObjectName name, Object[] params, String[] signature) {
    throw access.refused("createMBean of " + className + " as " + name, LIFECYCLE);
  }

  @Override
  public ObjectInstance createMBean(
      String className,
      ObjectName name,
      ObjectName loaderName,
      Object[] params,
      String[] signature) {
    throw access.refused("createMBean of " + className + " as " + name, LIFECYCLE);
  }

  @Override
  public ObjectInstance registerMBean(Object object, ObjectName name) {
    throw access.refused("registerMBean of " + name, LIFECYCLE);
  }

  @Override
  public void unregisterMBean(ObjectName name) {
    throw access.refused("unregisterMBean of " + name, LIFECYCLE);
  }

  @Override
  public Object instantiate(String className) {
    throw access.refused("instantiate of " + className, LIFECYCLE);
  }

  @Override
  public Object instantiate(String className, ObjectName loaderName) {
    throw access.refused("instantiate of " + className, LIFECYCLE);
  }

  @Override
  public Object instantiate(String className, Object[] params, String[] signature) {
    throw access.refused("instantiate of " + className, LIFECYCLE);
  }

  @Override
  public Object instantiate(
      String className, ObjectName loaderName, Object[] params, String[] signature) {
    throw access.refused("instantiate of " + className, LIFECYCLE);
  }

  @Override
  @Deprecated
  public ObjectInputStream deserialize(ObjectName name, byte[] data) throws OperationsException {
    throw access.refused("deserialize for " + name, LIFECYCLE);
  }

  @Override
  @Deprecated
  public ObjectInputStream deserialize(String className, byte[] data) throws OperationsException {
    throw access.refused("deserialize for " + className, LIFECYCLE);
  }

  @Override
  @Deprecated
  public ObjectInputStream deserialize(String className, ObjectName loaderName, byte[] data)
      throws OperationsException {
    throw access.refused("deserialize for " + className, LIFECYCLE);
  }
}
