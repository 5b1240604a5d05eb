package xcm.serve;

import java.io.ObjectInputStream;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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
import javax.management.remote.JMXPrincipal;
import javax.management.remote.MBeanServerForwarder;
import javax.security.auth.Subject;
import org.jolokia.server.core.service.api.Restrictor;
import org.jolokia.server.core.util.RequestType;
import xcm.serve.JmxRoles.JmxRole;

/**
 * The process's Jolokia access policy for JMX remote callers, installed on the connector server so
 * that it sees every call a client makes after authentication. The caller's role comes from the JMX
 * access file ({@link JmxRoles}: {@code readonly} is the read-only monitor, {@code readwrite} the
 * operator) and every decision is {@link JolokiaAccess}'s restrictor over the same policy file:
 * what a role may read, execute or write is the same on both doors. Reads of attributes the policy
 * hides ({@code java.lang:type=Runtime} {@code InputArguments}, {@code SystemProperties}), any
 * operation it does not name ({@code HotSpotDiagnostic dumpHeap}, every {@code DiagnosticCommand})
 * and every write are refused; so is what Jolokia cannot even express: creating, registering or
 * unregistering MBeans, and making an MBean listen to another's notifications. A refusal is a
 * {@link SecurityException} naming the user, the role, the MBean, the attribute or operation and
 * why.
 *
 * <p>Both roles may list and query MBeans (the policy's {@code list} and {@code search}) and
 * receive notifications, as JConsole does to keep its tree current: XCM's MBeans send none, and the
 * JVM's carry nothing a read of the same MBean does not show. A query with a {@link QueryExp} other
 * than an ObjectName never arrives: the connector's serial filter ({@link RemoteConnector}) refuses
 * every query class, since the MBeanServer would evaluate it by reading attributes past this
 * policy.
 *
 * <p>On Java 17 the connector makes some calls of its own without the caller's subject (the
 * listeners of its notification buffer, the class loader a call's parameters are read with, the
 * queries behind both): a call without a subject may only look (list, query, listen), never read,
 * execute, write, create or unregister.
 *
 * <p>Thread-safe.
 */
final class PolicyForwarder implements MBeanServerForwarder {
  private static final String POLICY =
      "the access policy (the one Jolokia applies) does not allow it";
  private static final String LIFECYCLE = "no JMX role may create, register or unregister MBeans";

  /** An authenticated user, its role, and the role's decisions over the policy. */
  private record Caller(String user, JmxRole role, Restrictor decisions) {
    SecurityException refused(String what, String why) {
      return new SecurityException(
          "user " + user + " (JMX " + role.describe() + "): " + what + " refused: " + why);
    }
  }

  private final Restrictor policy;
  private final Map<String, Caller> callers = new HashMap<>();
  private volatile MBeanServer server;

  /**
   * @param policy the process's Jolokia access policy
   * @param roles the role of each JMX user
   */
  PolicyForwarder(Restrictor policy, JmxRoles roles) {
    this.policy = policy;
    roles
        .all()
        .forEach(
            (user, role) ->
                callers.put(
                    user,
                    new Caller(
                        user, role, JolokiaAccess.restrictor(policy, user, role.jolokiaRole()))));
  }

  @Override
  public MBeanServer getMBeanServer() {
    return server;
  }

  @Override
  public void setMBeanServer(MBeanServer server) {
    this.server = server;
  }

  // --- who is calling -------------------------------------------------------------------------

  /** The caller; empty for a call the connector makes without a subject (Java 17). */
  private Optional<Caller> caller(String what) {
    Subject subject = CallerSubject.current();
    if (subject == null) {
      return Optional.empty();
    }
    Set<JMXPrincipal> users = subject.getPrincipals(JMXPrincipal.class);
    if (users.size() != 1) {
      throw new SecurityException(
          "a JMX call as " + users.size() + " users " + users + ": " + what + " refused");
    }
    String user = users.iterator().next().getName();
    Caller caller = callers.get(user);
    if (caller == null) {
      throw new SecurityException(
          "user " + user + " has no role in the JMX access file: " + what + " refused");
    }
    return Optional.of(caller);
  }

  /** The caller of what only a user may do: read, execute, write. */
  private Caller user(String what) {
    return caller(what)
        .orElseThrow(
            () ->
                new SecurityException(
                    "no authenticated JMX user on this call: " + what + " refused"));
  }

  private SecurityException refused(String what, String why) {
    return caller(what)
        .map(c -> c.refused(what, why))
        .orElseGet(
            () -> new SecurityException("no authenticated JMX user: " + what + " refused: " + why));
  }

  // --- the decisions, each the Jolokia restrictor's -------------------------------------------

  /** Metadata of one MBean (Jolokia's {@code list}). */
  private void list(ObjectName name, String what) {
    Optional<Caller> caller = caller(what);
    if (caller.isPresent() && !caller.get().decisions().isTypeAllowed(RequestType.LIST)) {
      throw caller.get().refused(what, POLICY);
    }
    visible(name, what);
  }

  /** Names and counts (Jolokia's {@code search}). */
  private void search(String what) {
    Optional<Caller> caller = caller(what);
    if (caller.isPresent() && !caller.get().decisions().isTypeAllowed(RequestType.SEARCH)) {
      throw caller.get().refused(what, POLICY);
    }
  }

  private void visible(ObjectName name, String what) {
    if (name != null && policy.isObjectNameHidden(name)) {
      throw refused(what, "the access policy hides that MBean");
    }
  }

  private boolean readable(Caller caller, ObjectName name, String attribute) {
    return !policy.isObjectNameHidden(name)
        && caller.decisions().isAttributeReadAllowed(name, attribute);
  }

  private void write(ObjectName name, String attribute) {
    String what = "write of " + name + " " + attribute;
    Caller caller = user(what);
    if (!caller.decisions().isAttributeWriteAllowed(name, attribute)) {
      throw caller.refused(what, POLICY);
    }
  }

  // --- reading --------------------------------------------------------------------------------

  @Override
  public Object getAttribute(ObjectName name, String attribute)
      throws MBeanException,
          AttributeNotFoundException,
          InstanceNotFoundException,
          ReflectionException {
    String what = "read of " + name + " " + attribute;
    Caller caller = user(what);
    if (!readable(caller, name, attribute)) {
      throw caller.refused(what, POLICY);
    }
    return server.getAttribute(name, attribute);
  }

  /**
   * The attributes the caller may read, the others left out as JMX leaves out those it cannot read
   * (JConsole then asks for each one alone and shows the refusal).
   */
  @Override
  public AttributeList getAttributes(ObjectName name, String[] attributes)
      throws InstanceNotFoundException, ReflectionException {
    Caller caller = user("read of " + name);
    if (attributes == null) {
      return server.getAttributes(name, null);
    }
    String[] allowed =
        Arrays.stream(attributes).filter(a -> readable(caller, name, a)).toArray(String[]::new);
    return server.getAttributes(name, allowed);
  }

  @Override
  public MBeanInfo getMBeanInfo(ObjectName name)
      throws InstanceNotFoundException, IntrospectionException, ReflectionException {
    list(name, "list of " + name);
    return server.getMBeanInfo(name);
  }

  @Override
  public ObjectInstance getObjectInstance(ObjectName name) throws InstanceNotFoundException {
    list(name, "list of " + name);
    return server.getObjectInstance(name);
  }

  @Override
  public boolean isInstanceOf(ObjectName name, String className) throws InstanceNotFoundException {
    list(name, "list of " + name);
    return server.isInstanceOf(name, className);
  }

  @Override
  public boolean isRegistered(ObjectName name) {
    search("search of " + name);
    return server.isRegistered(name) && !policy.isObjectNameHidden(name);
  }

  @Override
  public Set<ObjectInstance> queryMBeans(ObjectName name, QueryExp query) {
    search("search of " + name);
    return server.queryMBeans(name, query).stream()
        .filter(i -> !policy.isObjectNameHidden(i.getObjectName()))
        .collect(Collectors.toSet());
  }

  @Override
  public Set<ObjectName> queryNames(ObjectName name, QueryExp query) {
    search("search of " + name);
    return server.queryNames(name, query).stream()
        .filter(n -> !policy.isObjectNameHidden(n))
        .collect(Collectors.toSet());
  }

  @Override
  public Integer getMBeanCount() {
    search("the MBean count");
    return server.getMBeanCount();
  }

  @Override
  public String getDefaultDomain() {
    search("the default domain");
    return server.getDefaultDomain();
  }

  @Override
  public String[] getDomains() {
    search("the domains");
    return server.getDomains();
  }

  // --- acting ---------------------------------------------------------------------------------

  @Override
  public Object invoke(ObjectName name, String operationName, Object[] params, String[] signature)
      throws InstanceNotFoundException, MBeanException, ReflectionException {
    String what = "exec of " + name + " " + operationName;
    Caller caller = user(what);
    visible(name, what);
    if (!caller.decisions().isOperationAllowed(name, operationName)) {
      throw caller.refused(what, POLICY);
    }
    return server.invoke(name, operationName, params, signature);
  }

  @Override
  public void setAttribute(ObjectName name, Attribute attribute)
      throws InstanceNotFoundException,
          AttributeNotFoundException,
          InvalidAttributeValueException,
          MBeanException,
          ReflectionException {
    write(name, attribute.getName());
    server.setAttribute(name, attribute);
  }

  @Override
  public AttributeList setAttributes(ObjectName name, AttributeList attributes)
      throws InstanceNotFoundException, ReflectionException {
    for (Attribute attribute : attributes.asList()) {
      write(name, attribute.getName());
    }
    return server.setAttributes(name, attributes);
  }

  // --- notifications --------------------------------------------------------------------------

  /** Listening as JConsole does; also how the connector's notification buffer listens. */
  @Override
  public void addNotificationListener(
      ObjectName name, NotificationListener listener, NotificationFilter filter, Object handback)
      throws InstanceNotFoundException {
    list(name, "notifications of " + name);
    server.addNotificationListener(name, listener, filter, handback);
  }

  /**
   * Refused: the listener MBean's {@code handleNotification} would run, an operation of its own.
   */
  @Override
  public void addNotificationListener(
      ObjectName name, ObjectName listener, NotificationFilter filter, Object handback) {
    throw refused(
        "adding MBean " + listener + " as a listener of " + name,
        "no JMX role may make an MBean listen to notifications");
  }

  @Override
  public void removeNotificationListener(ObjectName name, ObjectName listener) {
    throw refused(
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
    throw refused("createMBean of " + className + " as " + name, LIFECYCLE);
  }

  @Override
  public ObjectInstance createMBean(String className, ObjectName name, ObjectName loaderName) {
    throw refused("createMBean of " + className + " as " + name, LIFECYCLE);
  }

  @Override
  public ObjectInstance createMBean(
      String className, ObjectName name, Object[] params, String[] signature) {
    throw refused("createMBean of " + className + " as " + name, LIFECYCLE);
  }

  @Override
  public ObjectInstance createMBean(
      String className,
      ObjectName name,
      ObjectName loaderName,
      Object[] params,
      String[] signature) {
    throw refused("createMBean of " + className + " as " + name, LIFECYCLE);
  }

  @Override
  public ObjectInstance registerMBean(Object object, ObjectName name) {
    throw refused("registerMBean of " + name, LIFECYCLE);
  }

  @Override
  public void unregisterMBean(ObjectName name) {
    throw refused("unregisterMBean of " + name, LIFECYCLE);
  }

  @Override
  public Object instantiate(String className) {
    throw refused("instantiate of " + className, LIFECYCLE);
  }

  @Override
  public Object instantiate(String className, ObjectName loaderName) {
    throw refused("instantiate of " + className, LIFECYCLE);
  }

  @Override
  public Object instantiate(String className, Object[] params, String[] signature) {
    throw refused("instantiate of " + className, LIFECYCLE);
  }

  @Override
  public Object instantiate(
      String className, ObjectName loaderName, Object[] params, String[] signature) {
    throw refused("instantiate of " + className, LIFECYCLE);
  }

  @Override
  @Deprecated
  public ObjectInputStream deserialize(ObjectName name, byte[] data) throws OperationsException {
    throw refused("deserialize for " + name, LIFECYCLE);
  }

  @Override
  @Deprecated
  public ObjectInputStream deserialize(String className, byte[] data) throws OperationsException {
    throw refused("deserialize for " + className, LIFECYCLE);
  }

  @Override
  @Deprecated
  public ObjectInputStream deserialize(String className, ObjectName loaderName, byte[] data)
      throws OperationsException {
    throw refused("deserialize for " + className, LIFECYCLE);
  }
}
