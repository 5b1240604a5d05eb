package xcm.trust.tls;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import xcm.trust.PeerIdentity;

/**
 * One TLS connection over loopback between two real SSL contexts: the client sends a line, the
 * server answers one. What each side saw is recorded, the bytes the server received included.
 */
final class Loopback implements AutoCloseable {
  private static final int TIMEOUT_MS = 10_000;

  record Side(PeerIdentity peer, String protocol, String received, IOException failure) {
    PeerRejectedException rejection() {
      return PeerRejectedException.in(failure).orElseThrow();
    }
  }

  record Outcome(Side server, Side client) {}

  private final SSLServerSocket listener;

  private Loopback(SSLServerSocket listener) {
    this.listener = listener;
  }

  /** A server on a loopback port of its own, for one or more exchanges. */
  static Loopback serve(SSLContext server) throws IOException {
    SSLServerSocket listener =
        (SSLServerSocket)
            server
                .getServerSocketFactory()
                .createServerSocket(0, 5, InetAddress.getLoopbackAddress());
    listener.setSoTimeout(TIMEOUT_MS);
    return new Loopback(listener);
  }

  /** One connection to a new server. */
  static Outcome exchange(SSLContext server, SSLContext client) throws Exception {
    try (Loopback loopback = serve(server)) {
      return loopback.exchange(client);
    }
  }

  /** One connection from the client to this server. */
  Outcome exchange(SSLContext client) throws Exception {
    CompletableFuture<Side> serverSide = new CompletableFuture<>();
    Thread serving = new Thread(() -> serverSide.complete(serve(listener)), "loopback-server");
    serving.start();
    Side clientSide = call(client, listener.getLocalPort());
    return new Outcome(serverSide.get(2 * TIMEOUT_MS, TimeUnit.MILLISECONDS), clientSide);
  }

  @Override
  public void close() throws IOException {
    listener.close();
  }

  private static Side serve(SSLServerSocket listener) {
    try (SSLSocket socket = (SSLSocket) listener.accept()) {
      socket.setSoTimeout(TIMEOUT_MS);
      socket.startHandshake();
      BufferedReader in =
          new BufferedReader(
              new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
      String line = in.readLine();
      OutputStream out = socket.getOutputStream();
      out.write("ok\n".getBytes(StandardCharsets.UTF_8));
      out.flush();
      return new Side(peer(socket.getSession()), socket.getSession().getProtocol(), line, null);
    } catch (IOException e) {
      return new Side(null, null, null, e);
    }
  }

  private static Side call(SSLContext client, int port) {
    try (SSLSocket socket = (SSLSocket) client.getSocketFactory().createSocket("127.0.0.1", port)) {
      socket.setSoTimeout(TIMEOUT_MS);
      socket.startHandshake();
      OutputStream out = socket.getOutputStream();
      out.write("hello\n".getBytes(StandardCharsets.UTF_8));
      out.flush();
      String line =
          new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8))
              .readLine();
      if (line == null) {
        throw new IOException("the server closed the connection without an answer");
      }
      return new Side(peer(socket.getSession()), socket.getSession().getProtocol(), line, null);
    } catch (IOException e) {
      return new Side(null, null, null, e);
    }
  }

  private static PeerIdentity peer(SSLSession session) throws IOException {
    try {
      return PeerIdentity.of((X509Certificate) session.getPeerCertificates()[0]);
    } catch (SSLPeerUnverifiedException e) {
      return null;
    } catch (CertificateException e) {
      throw new IOException(e);
    }
  }
}
