package xcm.trust;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/**
 * A cluster member's private key with its certificate chain, what it presents in TLS: the leaf
 * certificate first, the cluster authority's last. Made by {@code HostKey} (a host's own key, with
 * the certificate the coordinator sent back) or {@code ClusterAuthority#issueWithKey} (the
 * coordinator's own, the demo's).
 *
 * <pre>{@code
 * HostCredentials own = HostKey.open(dir).credentials().orElseThrow();
 * SSLContext tls = ServerTls.builder().credentials(own).authority(own.authority())…;
 * }</pre>
 *
 * Immutable; {@link #toString()} never shows the key.
 */
public record HostCredentials(PrivateKey privateKey, List<X509Certificate> chain) {

  /**
   * @throws IllegalArgumentException when the chain is empty, its leaf is not for this key, or a
   *     certificate was not issued by the next one
   */
  public HostCredentials {
    Objects.requireNonNull(privateKey, "privateKey");
    chain = List.copyOf(chain);
    if (chain.isEmpty()) {
      throw new IllegalArgumentException("a certificate chain needs at least the leaf");
    }
    if (!belongTogether(privateKey, chain.get(0).getPublicKey())) {
      throw new IllegalArgumentException(
          "the certificate of "
              + chain.get(0).getSubjectX500Principal().getName()
              + " is not for this private key");
    }
    for (int i = 0; i + 1 < chain.size(); i++) {
      X509Certificate issuer = chain.get(i + 1);
      try {
        chain.get(i).verify(issuer.getPublicKey());
      } catch (GeneralSecurityException e) {
        throw new IllegalArgumentException(
            "certificate "
                + chain.get(i).getSubjectX500Principal().getName()
                + " was not issued by the next in the chain, "
                + issuer.getSubjectX500Principal().getName(),
            e);
      }
    }
  }

  /** The leaf: this member's own certificate. */
  public X509Certificate certificate() {
    return chain.get(0);
  }

  /** The last certificate of the chain: the cluster authority that issued the leaf. */
  public X509Certificate authority() {
    return chain.get(chain.size() - 1);
  }

  /**
   * Who the certificate says this member is.
   *
   * @throws CertificateException when it is not an XCM cluster certificate
   */
  public PeerIdentity identity() throws CertificateException {
    return PeerIdentity.of(certificate());
  }

  /**
   * Whether a private key and a public key are a pair: the one signs, the other verifies. JCA
   * offers no way to derive an EC public key from a private one.
   */
  public static boolean belongTogether(PrivateKey privateKey, PublicKey publicKey) {
    if (!privateKey.getAlgorithm().equals(publicKey.getAlgorithm())) {
      return false;
    }
    String algorithm = privateKey.getAlgorithm().equals("EC") ? "SHA256withECDSA" : null;
    if (algorithm == null) {
      throw new IllegalArgumentException(
          "only EC keys are used in a cluster, found " + privateKey.getAlgorithm());
    }
    try {
      byte[] probe = "xcm key pair probe".getBytes(StandardCharsets.US_ASCII);
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(privateKey);
      signer.update(probe);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(publicKey);
      verifier.update(probe);
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  @Override
  public String toString() {
    return "HostCredentials[" + certificate().getSubjectX500Principal().getName() + ", key ***]";
  }
}
