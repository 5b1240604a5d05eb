package xcm.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static xcm.serve.RemoteConnectorPolicyTest.freePort;
import static xcm.serve.RemoteConnectorPolicyTest.name;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Date;
import java.util.Map;
import java.util.Set;
import javax.management.Attribute;
import javax.management.MBeanServer;
import javax.management.MBeanServerConnection;
import javax.management.MBeanServerFactory;
import javax.management.ObjectName;
import javax.management.Query;
import javax.management.ReflectionException;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXPrincipal;
import javax.management.remote.JMXServiceURL;
import javax.security.auth.Subject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JMX remote connector reads what clients send only through its serial filters: before
 * authentication nothing but the credentials, after it nothing but what JMX calls carry. A {@link
 * Gadget} on the server's class path, whose {@code readObject} counts, stands in for a gadget
 * chain: it must never be read.
 */
class RemoteConnectorFilterTest {
  private static final ObjectName COUNTER = name("test:type=Counter");

  @TempDir Path dir;
  private final MBeanServer server = MBeanServerFactory.newMBeanServer();
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
            server,
            new JmxRemoteConfig(freePort(), "127.0.0.1", passwords, access),
            "classpath:/xcm/serve/remote-access.xml");
    Gadget.READ.set(0);
  }

  @AfterEach
  void stop() throws Exception {
    connector.close();
  }

  private JMXConnector connect(Object credentials) throws IOException {
    return JMXConnectorFactory.connect(
        new JMXServiceURL(connector.serviceUrl()), Map.of(JMXConnector.CREDENTIALS, credentials));
  }

  @Test
  void beforeAuthenticationOnlyAUserAndPasswordAreRead() throws Exception {
    for (Object credentials :
        new Object[] {
          new Gadget(),
          new Object[] {"ops", new Gadget()},
          new String[][] {{"ops", "ops-s3cret"}},
          new String[] {"ops", "ops-s3cret", "more"},
        }) {
      assertThatThrownBy(() -> connect(credentials).close())
          .as("credentials %s", credentials)
          .isInstanceOf(IOException.class)
          .hasStackTraceContaining("filter status: REJECTED");
    }
    assertThat(Gadget.READ).hasValue(0);
    try (JMXConnector client = connect(new String[] {"ops", "ops-s3cret"})) {
      assertThat(client.getMBeanServerConnection().getAttribute(COUNTER, "Count")).isEqualTo(0);
    }
  }

  @Test
  void afterAuthenticationOnlyWhatJmxCallsCarryIsRead() throws Exception {
    try (JMXConnector client = connect(new String[] {"ops", "ops-s3cret"})) {
      MBeanServerConnection jmx = client.getMBeanServerConnection();
      assertThatThrownBy(
              () -> jmx.invoke(COUNTER, "add", new Object[] {new Gadget()}, new String[] {"int"}))
          .hasStackTraceContaining("filter status: REJECTED");
      assertThatThrownBy(() -> jmx.setAttribute(COUNTER, new Attribute("Limit", new Gadget())))
          .hasStackTraceContaining("filter status: REJECTED");
      assertThatThrownBy(
              () -> jmx.addNotificationListener(COUNTER, (n, h) -> {}, new Gadget(), null))
          .hasStackTraceContaining("filter status: REJECTED");
      assertThat(Gadget.READ).hasValue(0);

      // The connection lives on: refusing what it sent does not cut the client off.
      assertThat(jmx.invoke(COUNTER, "add", new Object[] {2}, new String[] {"int"})).isEqualTo(2);
    }
  }

  @Test
  void everySimpleOpenTypeReachesTheMBeanServerAsAParameter() throws Exception {
    Object[] values = {
      "text",
      true,
      'c',
      (byte) 1,
      (short) 1,
      1,
      1L,
      1f,
      1d,
      BigInteger.ONE,
      BigDecimal.ONE,
      new Date(0),
      COUNTER,
      new long[] {1},
      new String[] {"a"}
    };
    try (JMXConnector client = connect(new String[] {"ops", "ops-s3cret"})) {
      MBeanServerConnection jmx = client.getMBeanServerConnection();
      for (Object value : values) {
        // Read and handed on: Counter has no such operation, so the MBean server says so.
        assertThatThrownBy(
                () ->
                    jmx.invoke(
                        COUNTER,
                        "set",
                        new Object[] {value},
                        new String[] {value.getClass().getName()}))
            .as("%s", value.getClass())
            .isInstanceOf(ReflectionException.class)
            .hasMessageContaining("No such operation: set");
      }
    }
    assertThat(Gadget.READ).hasValue(0);
  }

  @Test
  void aQueryCannotReadAttributesPastThePolicy() throws Exception {
    try (JMXConnector client = connect(new String[] {"grafana", "graf-s3cret"})) {
      MBeanServerConnection jmx = client.getMBeanServerConnection();
      // Evaluated on the server, it would read a hidden attribute a character at a time.
      assertThatThrownBy(
              () ->
                  jmx.queryNames(
                      null, Query.initialSubString(Query.attr("ClassPath"), Query.value("/"))))
          .hasStackTraceContaining("filter status: REJECTED");
      // An ObjectName pattern queries as before.
      assertThat(jmx.queryNames(name("test:*"), null)).containsExactly(COUNTER);
    }
  }

  @Test
  void noUserActsAsAnotherThroughSubjectDelegation() throws Exception {
    Subject ops = new Subject(true, Set.of(new JMXPrincipal("ops")), Set.of(), Set.of());
    try (JMXConnector client = connect(new String[] {"grafana", "graf-s3cret"})) {
      assertThatThrownBy(
              () -> client.getMBeanServerConnection(ops).invoke(COUNTER, "increment", null, null))
          .satisfiesAnyOf(
              e -> assertThat(e).hasStackTraceContaining("filter status: REJECTED"),
              // From Java 23 on the JDK's client refuses to send a delegation subject at all.
              e ->
                  assertThat(e)
                      .isInstanceOf(UnsupportedOperationException.class)
                      .hasMessageContaining("Subject Delegation has been removed"));
    }
    assertThat(counter.getCount()).isZero();
  }
}
