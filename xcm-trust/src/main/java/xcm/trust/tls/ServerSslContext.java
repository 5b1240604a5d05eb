package xcm.trust.tls;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.security.KeyManagementException;
import java.security.SecureRandom;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

/**
 * A server's SSL context whose engines and server sockets come set up: TLS 1.3 only, and the client
 * authentication the server chose. A server that takes the context and sets nothing else (the JDK's
 * {@code HttpsServer} with a plain {@code HttpsConfigurator}) still asks for client certificates;
 * Jetty only ever turns client authentication on, never off.
 */
final class ServerSslContext extends SSLContext {
  ServerSslContext(SSLContext delegate, ClientAuth clientAuth) {
    super(new Spi(delegate, clientAuth), delegate.getProvider(), delegate.getProtocol());
  }

  private static final class Spi extends SSLContextSpi {
    private final SSLContext delegate;
    private final ClientAuth clientAuth;

    Spi(SSLContext delegate, ClientAuth clientAuth) {
      this.delegate = delegate;
      this.clientAuth = clientAuth;
    }

    private SSLParameters parameters() {
      SSLParameters p = delegate.getDefaultSSLParameters();
      p.setProtocols(new String[] {"TLSv1.3"});
      if (clientAuth == ClientAuth.NEED) {
        p.setNeedClientAuth(true);
      } else {
        p.setWantClientAuth(true);
      }
      return p;
    }

    private SSLEngine configure(SSLEngine engine) {
      engine.setSSLParameters(parameters());
      return engine;
    }

    @Override
    protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom random)
        throws KeyManagementException {
      throw new KeyManagementException("a cluster server context is set up by ServerTls");
    }

    @Override
    protected SSLSocketFactory engineGetSocketFactory() {
      return delegate.getSocketFactory();
    }

    @Override
    protected SSLServerSocketFactory engineGetServerSocketFactory() {
      return new ServerSockets(delegate.getServerSocketFactory(), this);
    }

    @Override
    protected SSLEngine engineCreateSSLEngine() {
      return configure(delegate.createSSLEngine());
    }

    @Override
    protected SSLEngine engineCreateSSLEngine(String host, int port) {
      return configure(delegate.createSSLEngine(host, port));
    }

    @Override
    protected SSLSessionContext engineGetServerSessionContext() {
      return delegate.getServerSessionContext();
    }

    @Override
    protected SSLSessionContext engineGetClientSessionContext() {
      return delegate.getClientSessionContext();
    }

    @Override
    protected SSLParameters engineGetDefaultSSLParameters() {
      return parameters();
    }

    @Override
    protected SSLParameters engineGetSupportedSSLParameters() {
      return delegate.getSupportedSSLParameters();
    }
  }

  private static final class ServerSockets extends SSLServerSocketFactory {
    private final SSLServerSocketFactory delegate;
    private final Spi spi;

    ServerSockets(SSLServerSocketFactory delegate, Spi spi) {
      this.delegate = delegate;
      this.spi = spi;
    }

    private ServerSocket configure(ServerSocket socket) {
      ((SSLServerSocket) socket).setSSLParameters(spi.parameters());
      return socket;
    }

    @Override
    public ServerSocket createServerSocket() throws IOException {
      return configure(delegate.createServerSocket());
    }

    @Override
    public ServerSocket createServerSocket(int port) throws IOException {
      return configure(delegate.createServerSocket(port));
    }

    @Override
    public ServerSocket createServerSocket(int port, int backlog) throws IOException {
      return configure(delegate.createServerSocket(port, backlog));
    }

    @Override
    public ServerSocket createServerSocket(int port, int backlog, InetAddress address)
        throws IOException {
      return configure(delegate.createServerSocket(port, backlog, address));
    }

    @Override
    public String[] getDefaultCipherSuites() {
      return delegate.getDefaultCipherSuites();
    }

    @Override
    public String[] getSupportedCipherSuites() {
      return delegate.getSupportedCipherSuites();
    }
  }
}
