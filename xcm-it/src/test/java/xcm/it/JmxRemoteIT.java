package xcm.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.rmi.registry.LocateRegistry;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xcm.mbeans.ObjectNames;

/**
 * The JMX remote connector of a coordinator, its own JVM with the options of conf/coordinator.jvm
 * and the JMX connector on loopback, attacked as the attack on main did: a {@link Gadget} (on the
 * coordinator's class path, writing a marker file if it is ever read) sent before authentication,
 * bound into the RMI registry and passed as a parameter; the readwrite user dumping the heap and
 * loading an agent; the readonly user reading the command line and system properties. None of it
 * gets through, and a JMX client still does its work.
 */
class JmxRemoteIT {
  private static final ObjectName RUNTIME = name("java.lang:type=Runtime");
  private static final ObjectName HOTSPOT = name("com.sun.management:type=HotSpotDiagnostic");
  private static final ObjectName DIAGNOSTIC = name("com.sun.management:type=DiagnosticCommand");

  @TempDir static Path dir;
  private static Path marker;
  private static int jmxPort;
  private static String jmxUrl;
  private static Jvm coordinator;

  @BeforeAll
  static void startCoordinator() throws Exception {
    Path password = Files.writeString(dir.resolve("password"), "s3cret");
    Files.setPosixFilePermissions(password, PosixFilePermissions.fromString("rw-------"));
    Path jmxPasswords =
        Files.writeString(dir.resolve("jmx.password"), "ops ops-s3cret\ngrafana graf-s3cret\n");
    Files.setPosixFilePermissions(jmxPasswords, PosixFilePermissions.fromString("rw-------"));
    Path jmxAccess =
        Files.writeString(dir.resolve("jmx.access"), "ops readwrite\ngrafana readonly\n");
    marker = dir.resolve("gadget-was-read");
    try (ServerSocket socket = new ServerSocket(0)) {
      jmxPort = socket.getLocalPort();
    }
    coordinator =
        Jvm.coordinator("jmx-coordinator", "1s")
            .with("--state-dir", dir.resolve("state"))
            .with("--jolokia-password-file", password)
            .with("--jmx-port", jmxPort)
            .with("--jmx-address", "127.0.0.1")
            .with("--jmx-password-file", jmxPasswords)
            .with("--jmx-access-file", jmxAccess)
            .javaOption("-D" + Gadget.MARKER + "=" + marker)
            .classPath(Path.of("target", "test-classes"))
            .start();
    jmxUrl =
        Files.readAllLines(coordinator.log).stream()
            .filter(l -> l.trim().startsWith("JMX"))
            .map(l -> l.trim().split("\\s+")[1])
            .findFirst()
            .orElseThrow();
  }

  @AfterAll
  static void stopCoordinator() {
    if (coordinator != null) {
      coordinator.close();
    }
  }

  /** Each test asserts that its own gadgets were not read. */
  @BeforeEach
  void forgetEarlierGadgets() throws IOException {
    Files.deleteIfExists(marker);
  }

  private static JMXConnector connect(Object credentials) throws IOException {
    return JMXConnectorFactory.connect(
        new JMXServiceURL(jmxUrl), Map.of(JMXConnector.CREDENTIALS, credentials));
  }

  @Test
  void aGadgetSentAsCredentialsIsRefusedBeforeItIsRead() {
    assertThatThrownBy(() -> connect(new Gadget()).close())
        .isInstanceOf(IOException.class)
        .hasStackTraceContaining("filter status: REJECTED");
    assertThatThrownBy(() -> connect(new Object[] {"ops", new Gadget()}).close())
        .isInstanceOf(IOException.class)
        .hasStackTraceContaining("filter status: REJECTED");
    assertThat(marker).doesNotExist();
  }

  @Test
  void aGadgetBoundIntoTheRegistryFromThisHostIsRefusedBeforeItIsRead() {
    // Binding is allowed only from the registry's own host, and the connector is on loopback:
    // every local user is such a caller.
    assertThatThrownBy(
            () -> LocateRegistry.getRegistry("127.0.0.1", jmxPort).bind("x", new Gadget()))
        .hasStackTraceContaining("filter status: REJECTED");
    assertThat(marker).doesNotExist();
  }

  @Test
  void aGadgetSentByAnAuthenticatedUserIsRefusedBeforeItIsRead() throws Exception {
    try (JMXConnector client = connect(new String[] {"ops", "ops-s3cret"})) {
      MBeanServerConnection jmx = client.getMBeanServerConnection();
      assertThatThrownBy(
              () ->
                  jmx.invoke(
                      ObjectNames.operations(),
                      "cancel",
                      new Object[] {new Gadget()},
                      new String[] {String.class.getName()}))
          .hasStackTraceContaining("filter status: REJECTED");
    }
    assertThat(marker).doesNotExist();
  }

  @Test
  void readwriteCannotDumpTheHeapNorLoadAnAgent() throws Exception {
    Path dump = dir.resolve("coordinator.hprof");
    try (JMXConnector client = connect(new String[] {"ops", "ops-s3cret"})) {
      MBeanServerConnection jmx = client.getMBeanServerConnection();
      assertThatThrownBy(
              () ->
                  jmx.invoke(
                      HOTSPOT,
                      "dumpHeap",
                      new Object[] {dump.toString(), true},
                      new String[] {String.class.getName(), boolean.class.getName()}))
          .isInstanceOf(SecurityException.class)
          .hasMessage(
              "user ops (JMX readwrite, the operator role): exec of"
                  + " com.sun.management:type=HotSpotDiagnostic dumpHeap refused: the access policy"
                  + " (the one Jolokia applies) does not allow it");
      assertThatThrownBy(
              () ->
                  jmx.invoke(
                      DIAGNOSTIC,
                      "jvmtiAgentLoad",
                      new Object[] {new String[] {dir.resolve("agent.so").toString()}},
                      new String[] {String[].class.getName()}))
          .isInstanceOf(SecurityException.class)
          .hasMessage(
              "user ops (JMX readwrite, the operator role): exec of"
                  + " com.sun.management:type=DiagnosticCommand jvmtiAgentLoad refused: the access"
                  + " policy (the one Jolokia applies) does not allow it");
    }
    assertThat(dump).doesNotExist();
  }

  @Test
  void readonlyCannotReadTheCommandLineNorTheSystemPropertiesButReadsXcm() throws Exception {
    try (JMXConnector client = connect(new String[] {"grafana", "graf-s3cret"})) {
      MBeanServerConnection jmx = client.getMBeanServerConnection();
      for (String attribute : List.of("InputArguments", "SystemProperties")) {
        assertThatThrownBy(() -> jmx.getAttribute(RUNTIME, attribute))
            .isInstanceOf(SecurityException.class)
            .hasMessage(
                "user grafana (JMX readonly, the read-only monitor role): read of"
                    + " java.lang:type=Runtime "
                    + attribute
                    + " refused: the access policy (the one Jolokia applies) does not allow it");
      }
      assertThat(jmx.getAttribute(ObjectNames.cluster(), "HostCount")).isEqualTo(0);
      assertThat(jmx.getAttribute(ObjectNames.operations(), "Recovering")).isEqualTo(false);
      assertThat(jmx.getAttribute(RUNTIME, "Uptime")).isInstanceOf(Long.class);
      assertThatThrownBy(
              () ->
                  jmx.invoke(
                      ObjectNames.operations(),
                      "balance",
                      new Object[] {"weighted", true},
                      new String[] {String.class.getName(), boolean.class.getName()}))
          .isInstanceOf(SecurityException.class)
          .hasMessage(
              "user grafana has the read-only monitor role (read, list, search, version): exec of"
                  + " xcm:type=Operations balance refused");
    }
  }

  @Test
  void aJmxClientWithCredentialsStillWorksEndToEnd() throws Exception {
    try (JMXConnector client = connect(new String[] {"ops", "ops-s3cret"})) {
      MBeanServerConnection jmx = client.getMBeanServerConnection();
      assertThat(jmx.queryNames(name("xcm:*"), null))
          .contains(ObjectNames.cluster(), ObjectNames.operations());
      assertThat(jmx.getMBeanInfo(ObjectNames.operations()).getOperations()).isNotEmpty();
      String id =
          (String)
              jmx.invoke(
                  ObjectNames.operations(),
                  "balance",
                  new Object[] {"weighted", true},
                  new String[] {String.class.getName(), boolean.class.getName()});
      await()
          .atMost(30, TimeUnit.SECONDS)
          .until(() -> !"RUNNING".equals(jmx.getAttribute(ObjectNames.operation(id), "State")));
      assertThat(jmx.getAttribute(ObjectNames.operation(id), "RequestedBy")).isEqualTo("jmx:ops");
      CompositeData[] audit =
          (CompositeData[]) jmx.getAttribute(ObjectNames.operations(), "AuditLog");
      assertThat(audit).isNotEmpty();
    }
    assertThat(marker).doesNotExist();
  }

  private static ObjectName name(String name) {
    try {
      return new ObjectName(name);
    } catch (javax.management.MalformedObjectNameException e) {
      throw new IllegalArgumentException(e);
    }
  }
}
