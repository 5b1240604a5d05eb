package xcm.bench.attack;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLServerSocket;

/**
 * What the attacker registered as an agent on main: a listener on loopback that keeps count of what
 * it is sent — connections, bytes of requests, HTTP request lines and {@code Authorization} headers
 * (main's coordinator sent the cluster password in one every 5 s). Plain HTTP, or HTTPS with a
 * self-signed certificate (made by the JDK's {@code keytool}, named like a real host), whose
 * handshakes a caller that checks certificates aborts: those are counted apart, and only the bytes
 * of a completed handshake count as requests.
 *
 * <p>Thread-safe.
 */
final class RogueListener implements AutoCloseable {
  private static final Pattern REQUEST_LINE = Pattern.compile("(?m)^[A-Z]+ \\S+ HTTP/1\\.[01]\r?$");
  private static final Pattern AUTHORIZATION = Pattern.compile("(?im)^authorization:");

  private final ServerSocket socket;
  private final boolean tls;
  private final AtomicInteger connections = new AtomicInteger();
  private final AtomicInteger handshakesRefused = new AtomicInteger();
  private final AtomicInteger requests = new AtomicInteger();
  private final AtomicInteger authorizations = new AtomicInteger();
  private final AtomicLong bytes = new AtomicLong();

  private RogueListener(ServerSocket socket, boolean tls) {
    this.socket = socket;
    this.tls = tls;
    Thread acceptor = new Thread(this::accept, "rogue-listener-" + socket.getLocalPort());
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** A plain HTTP listener on 127.0.0.1. */
  static RogueListener plain() throws IOException {
    return new RogueListener(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), false);
  }

  /**
   * An HTTPS listener on 127.0.0.1 with a self-signed certificate for {@code name}, its key store
   * made in {@code dir}.
   */
  static RogueListener selfSigned(Path dir, String name)
      throws IOException, InterruptedException, GeneralSecurityException {
    Path store = dir.resolve("rogue-" + name + ".p12");
    char[] password = "rogue-listener".toCharArray();
    Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    Process made =
        new ProcessBuilder(
                List.of(
                    keytool.toString(),
                    "-genkeypair",
                    "-alias",
                    "rogue",
                    "-keyalg",
                    "EC",
                    "-groupname",
                    "secp256r1",
                    "-dname",
                    "CN=" + name,
                    "-validity",
                    "2",
                    "-keystore",
                    store.toString(),
                    "-storetype",
                    "PKCS12",
                    "-storepass",
                    new String(password)))
            .redirectErrorStream(true)
            .start();
    String output = new String(made.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!made.waitFor(60, TimeUnit.SECONDS) || made.exitValue() != 0) {
      throw new IOException(
          "keytool could not make a self-signed certificate for " + name + ": " + output);
    }
    KeyStore keys = KeyStore.getInstance("PKCS12");
    try (InputStream in = java.nio.file.Files.newInputStream(store)) {
      keys.load(in, password);
    }
    KeyManagerFactory managers =
        KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    managers.init(keys, password);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(managers.getKeyManagers(), null, null);
    SSLServerSocket server =
        (SSLServerSocket)
            context
                .getServerSocketFactory()
                .createServerSocket(0, 50, InetAddress.getLoopbackAddress());
    return new RogueListener(server, true);
  }

  /** The URL an attacker would register: {@code http(s)://127.0.0.1:PORT/jolokia/}. */
  String url() {
    return (tls ? "https" : "http") + "://127.0.0.1:" + socket.getLocalPort() + "/jolokia/";
  }

  /** Connections, handshakes refused, requests, Authorization headers and bytes so far. */
  String counts() {
    return String.format(
        "%d connections,%s %d requests (%d bytes), %d Authorization headers",
        connections.get(),
        tls ? " " + handshakesRefused.get() + " handshakes refused," : "",
        requests.get(),
        bytes.get(),
        authorizations.get());
  }

  /** Requests received: HTTP request lines, or any bytes that came through a handshake. */
  int requests() {
    return bytes.get() > 0 ? Math.max(1, requests.get()) : 0;
  }

  int authorizations() {
    return authorizations.get();
  }

  private void accept() {
    while (!socket.isClosed()) {
      Socket client;
      try {
        client = socket.accept();
      } catch (IOException e) {
        if (!socket.isClosed()) {
          System.err.println("rogue listener " + url() + " stopped accepting: " + e);
        }
        return;
      }
      connections.incrementAndGet();
      Thread reader = new Thread(() -> read(client), "rogue-listener-client");
      reader.setDaemon(true);
      reader.start();
    }
  }

  /** Keeps what the client sends until it stops for a second or closes. */
  private void read(Socket client) {
    ByteArrayOutputStream received = new ByteArrayOutputStream();
    try (client) {
      client.setSoTimeout(1000);
      InputStream in = client.getInputStream();
      byte[] buffer = new byte[4096];
      for (int n; (n = in.read(buffer)) > 0; ) {
        received.write(buffer, 0, n);
      }
    } catch (SocketTimeoutException e) {
      // The client went quiet: what came is counted.
    } catch (SSLException e) {
      handshakesRefused.incrementAndGet();
    } catch (IOException e) {
      // The client closed the connection: what came is counted.
    }
    String text = received.toString(StandardCharsets.ISO_8859_1);
    bytes.addAndGet(received.size());
    requests.addAndGet(count(REQUEST_LINE.matcher(text)));
    authorizations.addAndGet(count(AUTHORIZATION.matcher(text)));
  }

  private static int count(Matcher matcher) {
    int n = 0;
    while (matcher.find()) {
      n++;
    }
    return n;
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
