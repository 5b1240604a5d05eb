package xcm.serve;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Optional;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import xcm.mbeans.config.ConfigException;
import xcm.mbeans.config.Settings;
import xcm.serve.http.ServerTls;

/**
 * TLS for one door (Jolokia or the JMX remote connector): keys {@code <door>.tls.keystore}, {@code
 * .keystore-password} (or {@code .keystore-password-file}), {@code .truststore}, {@code
 * .truststore-password(-file)} and {@code .client-auth}. Off unless a keystore is given. Key and
 * trust stores are PKCS12 or JKS files, as {@code keytool} writes them.
 *
 * <pre>
 * xcm.agent.jolokia.tls.keystore            /etc/xcm/agent.p12   (the server's key and certificate)
 * xcm.agent.jolokia.tls.keystore-password-file  /etc/xcm/agent.p12.password
 * xcm.agent.jolokia.tls.client-auth         true   (clients must present a certificate ...)
 * xcm.agent.jolokia.tls.truststore          /etc/xcm/clients.p12  (... signed by one of these)
 * </pre>
 *
 * @param truststore null unless given; required with {@code clientAuth}
 * @param truststorePassword null when the trust store has none
 */
public record TlsConfig(
    Path keystore,
    String keystorePassword,
    Path truststore,
    String truststorePassword,
    boolean clientAuth) {

  /**
   * Reads the {@code <door>.tls.*} keys; empty when no keystore is given.
   *
   * @param door {@code jolokia} or {@code jmx}
   */
  public static Optional<TlsConfig> load(Settings s, String door) {
    String key = door + ".tls.";
    Optional<Path> keystore = s.readableFile(key + "keystore");
    Optional<Path> truststore = s.readableFile(key + "truststore");
    boolean clientAuth = s.bool(key + "client-auth", false);
    boolean keystorePasswordGiven =
        s.string(key + "keystore-password").isPresent()
            || s.string(key + "keystore-password-file").isPresent();
    boolean truststorePasswordGiven =
        s.string(key + "truststore-password").isPresent()
            || s.string(key + "truststore-password-file").isPresent();
    if (keystore.isEmpty()) {
      String stray =
          truststore.isPresent()
              ? "truststore"
              : clientAuth ? "client-auth" : keystorePasswordGiven ? "keystore-password" : null;
      if (stray != null) {
        throw new ConfigException(
            s.prefix() + key + "keystore",
            null,
            "required when " + s.prefix() + key + stray + " is set");
      }
      return Optional.empty();
    }
    String keystorePassword =
        s.secret(key + "keystore-password", "the password of " + s.prefix() + key + "keystore");
    String truststorePassword =
        truststorePasswordGiven
            ? s.secret(key + "truststore-password", "the password of the trust store")
            : null;
    if (clientAuth && truststore.isEmpty()) {
      throw new ConfigException(
          s.prefix() + key + "truststore",
          null,
          "required when "
              + s.prefix()
              + key
              + "client-auth is true: the certificates clients must present are checked"
              + " against it");
    }
    TlsConfig tls =
        new TlsConfig(
            keystore.get(),
            keystorePassword,
            truststore.orElse(null),
            truststorePassword,
            clientAuth);
    try {
      tls.sslContext();
    } catch (IOException e) {
      // Never the password in the message: the key names what to check.
      throw new ConfigException(
          s.prefix() + key + "keystore",
          keystore.get().toString(),
          "cannot be used with the password of "
              + s.prefix()
              + key
              + "keystore-password, or the trust store cannot: "
              + e.getMessage());
    }
    return Optional.of(tls);
  }

  /** An SSL context with the keystore's key and, when given, the trust store's certificates. */
  public SSLContext sslContext() throws IOException {
    try {
      KeyStore keys = KeyStore.getInstance(keystore.toFile(), keystorePassword.toCharArray());
      KeyManagerFactory keyManagers =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      keyManagers.init(keys, keystorePassword.toCharArray());
      TrustManagerFactory trustManagers = null;
      if (truststore != null) {
        KeyStore trusted =
            KeyStore.getInstance(
                truststore.toFile(),
                truststorePassword == null ? null : truststorePassword.toCharArray());
        trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trustManagers.init(trusted);
      }
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(
          keyManagers.getKeyManagers(),
          trustManagers == null ? null : trustManagers.getTrustManagers(),
          null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IOException(e.getClass().getSimpleName() + ": " + e.getMessage(), e);
    }
  }

  /** TLS of an HTTP door from these stores: clients must show a certificate with client-auth. */
  public ServerTls serverTls() throws IOException {
    return new ServerTls(
        sslContext(), clientAuth ? ServerTls.ClientAuth.NEED : ServerTls.ClientAuth.NONE);
  }

  @Override
  public String toString() {
    return "TlsConfig[keystore="
        + keystore
        + ", keystorePassword=***, truststore="
        + truststore
        + ", truststorePassword="
        + (truststorePassword == null ? "none" : "***")
        + ", clientAuth="
        + clientAuth
        + "]";
  }
}
