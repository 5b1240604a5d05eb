package xcm.trust.tls;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import xcm.trust.HostCredentials;

/**
 * Presents the member's one certificate whenever its key type fits, whatever issuers the peer
 * names: a member of another cluster then hears "not issued by this cluster's authority" from the
 * peer's checks, instead of an empty certificate from a key manager that found no match.
 */
final class OwnKeyManager extends X509ExtendedKeyManager {
  private static final String ALIAS = "xcm";

  private final HostCredentials credentials;
  private final String keyType;

  OwnKeyManager(HostCredentials credentials) {
    this.credentials = credentials;
    this.keyType = credentials.privateKey().getAlgorithm();
  }

  private String alias(String... keyTypes) {
    return keyTypes != null && Arrays.asList(keyTypes).contains(keyType) ? ALIAS : null;
  }

  @Override
  public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
    return alias(keyTypes);
  }

  @Override
  public String chooseEngineClientAlias(String[] keyTypes, Principal[] issuers, SSLEngine engine) {
    return alias(keyTypes);
  }

  @Override
  public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
    return alias(keyType);
  }

  @Override
  public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
    return alias(keyType);
  }

  @Override
  public String[] getClientAliases(String keyType, Principal[] issuers) {
    return alias(keyType) == null ? null : new String[] {ALIAS};
  }

  @Override
  public String[] getServerAliases(String keyType, Principal[] issuers) {
    return getClientAliases(keyType, issuers);
  }

  @Override
  public X509Certificate[] getCertificateChain(String alias) {
    return ALIAS.equals(alias) ? credentials.chain().toArray(X509Certificate[]::new) : null;
  }

  @Override
  public PrivateKey getPrivateKey(String alias) {
    return ALIAS.equals(alias) ? credentials.privateKey() : null;
  }
}
