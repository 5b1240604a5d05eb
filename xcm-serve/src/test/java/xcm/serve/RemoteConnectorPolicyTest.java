package xcm.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.management.Attribute;
import javax.management.AttributeList;
import javax.management.MBeanServer;
import javax.management.MBeanServerConnection;
import javax.management.MBeanServerDelegate;
import javax.management.MBeanServerNotification;
import javax.management.Notification;
import javax.management.NotificationFilterSupport;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.relation.MBeanServerNotificationFilter;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JMX remote connector applies the Jolokia access policy ({@code remote-access.xml}, shaped as
 * XCM's own) for the role its access file gives each user: {@code readonly} as the monitor, {@code
 * readwrite} as the operator. Real connector on loopback, real platform MBeans (HotSpotDiagnostic,
 * DiagnosticCommand, Runtime), JConsole's calls through {@link JMXConnectorFactory}.
 */
class RemoteConnectorPolicyTest {
  private static final String POLICY = "classpath:/xcm/serve/remote-access.xml";
  private static final ObjectName COUNTER = name("test:type=Counter");
  private static final ObjectName RUNTIME = name(ManagementFactory.RUNTIME_MXBEAN_NAME);
  private static final ObjectName HOTSPOT = name("com.sun.management:type=HotSpotDiagnostic");
  private static final ObjectName DIAGNOSTIC = name("com.sun.management:type=DiagnosticCommand");

  @TempDir Path dir;
  private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();
  private final Counter counter = new Counter();
  private RemoteConnector connector;

  @BeforeEach
  void start() throws Exception {
    server.registerMBean(counter, COUNTER);
    Path passwords =
        Files.writeString(dir.resolve("jmx.password"), "ops ops-s3cret\ngrafana graf-s3cret\n");
    Files.setPosixFilePermissions(passwords, PosixFilePermissions.fromString("rw-------"));
    Path access = Files.writeString(dir.resolve("jmx.access"), "ops readwrite\ngrafana readonly\n");
    connector =
        RemoteConnector.start(
            server, new JmxRemoteConfig(freePort(), "127.0.0.1", passwords, access), POLICY);
  }

  @AfterEach
  void stop() throws Exception {
    connector.close();
    server.unregisterMBean(COUNTER);
  }

  private JMXConnector connect(String user, String password) throws IOException {
    return JMXConnectorFactory.connect(
        new JMXServiceURL(connector.serviceUrl()),
        Map.of(JMXConnector.CREDENTIALS, new String[] {user, password}));
  }

  @Test
  void bothRolesListQueryReadAndListenAsJConsoleDoes() throws Exception {
    for (String[] user :
        List.of(new String[] {"ops", "ops-s3cret"}, new String[] {"grafana", "graf-s3cret"})) {
      try (JMXConnector client = connect(user[0], user[1])) {
        MBeanServerConnection jmx = client.getMBeanServerConnection();
        Set<ObjectName> names = jmx.queryNames(null, null);
        assertThat(names).contains(COUNTER, RUNTIME, HOTSPOT, DIAGNOSTIC);
        assertThat(jmx.queryNames(name("java.lang:type=Memory*"), null)).hasSize(1);
        for (ObjectName name : names) {
          assertThat(jmx.getMBeanInfo(name).getClassName()).isNotEmpty();
        }
        assertThat(jmx.getMBeanCount()).isEqualTo(names.size());
        assertThat(jmx.getDomains()).contains("test", "java.lang");
        assertThat(jmx.getDefaultDomain()).isNotEmpty();
        assertThat(jmx.isRegistered(COUNTER)).isTrue();
        assertThat(jmx.isInstanceOf(COUNTER, CounterMBean.class.getName())).isTrue();
        assertThat(jmx.getObjectInstance(COUNTER).getClassName())
            .isEqualTo(Counter.class.getName());
        assertThat(jmx.getAttribute(COUNTER, "Count")).isEqualTo(0);
        assertThat(jmx.getAttribute(name("java.lang:type=Memory"), "HeapMemoryUsage"))
            .isInstanceOf(CompositeData.class);
        assertThat(
                jmx.getAttributes(
                        name("java.lang:type=Threading"),
                        new String[] {"ThreadCount", "PeakThreadCount"})
                    .asList())
            .hasSize(2);
        assertThat(jmx.getAttribute(RUNTIME, "VmName"))
            .isEqualTo(System.getProperty("java.vm.name"));

        // JConsole keeps its tree current through the delegate's notifications, with a filter.
        BlockingQueue<Notification> received = new LinkedBlockingQueue<>();
        MBeanServerNotificationFilter filter = new MBeanServerNotificationFilter();
        filter.enableType(MBeanServerNotification.REGISTRATION_NOTIFICATION);
        filter.enableObjectName(name("test:type=Other"));
        jmx.addNotificationListener(
            MBeanServerDelegate.DELEGATE_NAME, (n, h) -> received.add(n), filter, "tree");
        NotificationFilterSupport memory = new NotificationFilterSupport();
        memory.enableType("java.management.memory.threshold.exceeded");
        jmx.addNotificationListener(
            name("java.lang:type=Memory"), (n, h) -> received.add(n), memory, null);
        server.registerMBean(new Counter(), name("test:type=Other"));
        try {
          Notification notification = received.poll(10, TimeUnit.SECONDS);
          assertThat(notification).isInstanceOf(MBeanServerNotification.class);
          assertThat(((MBeanServerNotification) notification).getMBeanName())
              .isEqualTo(name("test:type=Other"));
        } finally {
          server.unregisterMBean(name("test:type=Other"));
        }
      }
    }
  }

  @Test
  void readwriteExecutesWhatThePolicyAllows() throws Exception {
    try (JMXConnector client = connect("ops", "ops-s3cret")) {
      MBeanServerConnection jmx = client.getMBeanServerConnection();
      assertThat(jmx.invoke(COUNTER, "increment", null, null)).isEqualTo(1);
      assertThat(jmx.invoke(COUNTER, "add", new Object[] {41}, new String[] {"int"})).isEqualTo(42);
    }
    assertThat(counter.getCount()).isEqualTo(42);
  }

  @Test
  void readonlyExecutesNothing() throws Exception {
    try (JMXConnector client = connect("grafana", "graf-s3cret")) {
      MBeanServerConnection jmx = client.getMBeanServerConnection();
      assertThatThrownBy(() -> jmx.invoke(COUNTER, "increment", null, null))
          .isInstanceOf(SecurityException.class)
          .hasMessage(
              "user grafana has the read-only monitor role (read, list, search, version): exec of"
                  + " test:type=Counter increment refused");
    }
    assertThat(counter.getCount()).isZero();
  }

  @Test
  void noRoleDumpsTheHeapLoadsAnAgentOrRunsAnyDiagnosticCommand() throws Exception {
    Path dump = dir.resolve("heap.hprof");
    try (JMXConnector client = connect("ops", "ops-s3cret")) {
      MBeanServerConnection jmx = client.getMBeanServerConnection();
      assertThatThrownBy(
              () ->
                  jmx.invoke(
                      HOTSPOT,
                      "dumpHeap",
                      new Object[] {dump.toString(), true},
                      new String[] {"java.lang.String", "boolean"}))
          .isInstanceOf(SecurityException.class)
          .hasMessage(
              "user ops (JMX readwrite, the operator role): exec of"
                  + " com.sun.management:type=HotSpotDiagnostic dumpHeap refused: the access policy"
                  + " (the one Jolokia applies) does not allow it");
      for (String command :
          List.of("jvmtiAgentLoad", "vmSystemProperties", "compilerDirectivesAdd")) {
        assertThatThrownBy(
                () ->
                    jmx.invoke(
                        DIAGNOSTIC,
                        command,
                        new Object[] {new String[] {dir.resolve("agent.so").toString()}},
                        new String[] {String[].class.getName()}))
            .isInstanceOf(SecurityException.class)
            .hasMessageContaining(
                "exec of com.sun.management:type=DiagnosticCommand " + command + " refused");
      }
    }
    try (JMXConnector client = connect("grafana", "graf-s3cret")) {
      assertThatThrownBy(
              () ->
                  client
                      .getMBeanServerConnection()
                      .invoke(
                          HOTSPOT,
                          "dumpHeap",
                          new Object[] {dump.toString(), true},
                          new String[] {"java.lang.String", "boolean"}))
          .isInstanceOf(SecurityException.class)
          .hasMessageContaining("user grafana has the read-only monitor role");
    }
    assertThat(dump).doesNotExist();
  }

  @Test
  void noRoleReadsTheCommandLineOrTheSystemProperties() throws Exception {
    for (String[] user :
        List.of(
            new String[] {"ops", "ops-s3cret", "readwrite, the operator role"},
            new String[] {"grafana", "graf-s3cret", "readonly, the read-only monitor role"})) {
      try (JMXConnector client = connect(user[0], user[1])) {
        MBeanServerConnection jmx = client.getMBeanServerConnection();
        for (String attribute : List.of("InputArguments", "SystemProperties", "ClassPath")) {
          assertThatThrownBy(() -> jmx.getAttribute(RUNTIME, attribute))
              .isInstanceOf(SecurityException.class)
              .hasMessage(
                  "user "
                      + user[0]
                      + " (JMX "
                      + user[2]
                      + "): read of java.lang:type=Runtime "
                      + attribute
                      + " refused: the access policy (the one Jolokia applies) does not allow it");
        }
        // As JConsole asks: all attributes at once; what the policy hides is left out.
        assertThat(
                jmx.getAttributes(
                        RUNTIME, new String[] {"VmName", "InputArguments", "SystemProperties"})
                    .asList())
            .extracting(Attribute::getName)
            .containsExactly("VmName");
      }
    }
  }

  @Test
  void noRoleWritesCreatesOrUnregistersMBeans() throws Exception {
    try (JMXConnector client = connect("ops", "ops-s3cret")) {
      MBeanServerConnection jmx = client.getMBeanServerConnection();
      assertThatThrownBy(() -> jmx.setAttribute(COUNTER, new Attribute("Limit", 99)))
          .isInstanceOf(SecurityException.class)
          .hasMessage(
              "user ops (JMX readwrite, the operator role): write of test:type=Counter Limit"
                  + " refused: the access policy (the one Jolokia applies) does not allow it");
      assertThatThrownBy(
              () ->
                  jmx.setAttributes(
                      COUNTER, new AttributeList(List.of(new Attribute("Limit", 99)))))
          .isInstanceOf(SecurityException.class)
          .hasMessageContaining("write of test:type=Counter Limit refused");
      assertThatThrownBy(
              () -> jmx.createMBean("javax.management.timer.Timer", name("test:type=Timer")))
          .isInstanceOf(SecurityException.class)
          .hasMessage(
              "user ops (JMX readwrite, the operator role): createMBean of"
                  + " javax.management.timer.Timer as test:type=Timer refused: no JMX role may"
                  + " create, register or unregister MBeans");
      assertThatThrownBy(() -> jmx.unregisterMBean(COUNTER))
          .isInstanceOf(SecurityException.class)
          .hasMessageContaining("unregisterMBean of test:type=Counter refused");
      assertThatThrownBy(() -> jmx.addNotificationListener(RUNTIME, COUNTER, null, null))
          .isInstanceOf(SecurityException.class)
          .hasMessage(
              "user ops (JMX readwrite, the operator role): adding MBean test:type=Counter as a"
                  + " listener of java.lang:type=Runtime refused: no JMX role may make an MBean"
                  + " listen to notifications");
    }
    try (JMXConnector client = connect("grafana", "graf-s3cret")) {
      assertThatThrownBy(
              () ->
                  client
                      .getMBeanServerConnection()
                      .setAttribute(COUNTER, new Attribute("Limit", 99)))
          .isInstanceOf(SecurityException.class)
          .hasMessage(
              "user grafana has the read-only monitor role (read, list, search, version): write of"
                  + " test:type=Counter Limit refused");
    }
    assertThat(counter.getLimit()).isEqualTo(10);
    assertThat(server.isRegistered(COUNTER)).isTrue();
    assertThat(server.isRegistered(name("test:type=Timer"))).isFalse();
  }

  static ObjectName name(String name) {
    try {
      return new ObjectName(name);
    } catch (javax.management.MalformedObjectNameException e) {
      throw new IllegalArgumentException(e);
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
