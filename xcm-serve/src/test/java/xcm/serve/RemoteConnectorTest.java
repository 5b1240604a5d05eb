package xcm.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import javax.net.ssl.SSLContext;
import javax.rmi.ssl.SslRMIClientSocketFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The JMX remote connector with password and access files, over SSL with client certificates. */
class RemoteConnectorTest {

  @Test
  void overTlsOnlyClientsWithTheServersTrustAndACertificateConnect(@TempDir Path dir)
      throws Exception {
    Certificates certificates = new Certificates(dir);
    Path serverKeys = certificates.keyPair("jmx-server");
    certificates.keyPair("jmx-client");
    Path passwords = Files.writeString(dir.resolve("jmx.password"), "operator s3cret\n");
    Files.setPosixFilePermissions(passwords, PosixFilePermissions.fromString("rw-------"));
    Path access = Files.writeString(dir.resolve("jmx.access"), "operator readwrite\n");
    TlsConfig tls =
        new TlsConfig(
            serverKeys,
            Certificates.PASSWORD,
            certificates.trust("jmx-client"),
            Certificates.PASSWORD,
            true);
    MBeanServer server = MBeanServerFactory.newMBeanServer();
    Counter counter = new Counter();
    server.registerMBean(counter, new ObjectName("test:type=Counter"));
    // JMX clients take SSL from the JVM's default context, as jconsole does from
    // -Djavax.net.ssl.trustStore/keyStore.
    SSLContext previous = SSLContext.getDefault();
    SSLContext.setDefault(certificates.client("jmx-server", "jmx-client"));
    try (RemoteConnector connector =
        RemoteConnector.start(
            server,
            new JmxRemoteConfig(freePort(), "127.0.0.1", passwords, access, Optional.of(tls)),
            "classpath:/xcm/serve/test-access.xml")) {
      JMXServiceURL url = new JMXServiceURL(connector.serviceUrl());
      Map<String, Object> env = new HashMap<>();
      env.put(JMXConnector.CREDENTIALS, new String[] {"operator", "s3cret"});
      env.put("com.sun.jndi.rmi.factory.socket", new SslRMIClientSocketFactory());
      try (JMXConnector client = JMXConnectorFactory.connect(url, env)) {
        client
            .getMBeanServerConnection()
            .invoke(new ObjectName("test:type=Counter"), "increment", null, null);
      }
      assertThat(counter.getCount()).isEqualTo(1);

      env.put(JMXConnector.CREDENTIALS, new String[] {"operator", "wrong"});
      assertThatThrownBy(() -> JMXConnectorFactory.connect(url, env))
          .isInstanceOf(SecurityException.class);
      Map<String, Object> plain =
          Map.of(JMXConnector.CREDENTIALS, new String[] {"operator", "s3cret"});
      assertThatThrownBy(() -> JMXConnectorFactory.connect(url, plain))
          .as("a client without SSL gets nowhere")
          .isInstanceOf(IOException.class);
    } finally {
      SSLContext.setDefault(previous);
    }
    assertThat(counter.getCount()).isEqualTo(1);
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
