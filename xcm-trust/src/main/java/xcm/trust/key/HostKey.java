package xcm.trust.key;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import xcm.trust.CertificateRequest;
import xcm.trust.Fingerprint;
import xcm.trust.HostCredentials;
import xcm.trust.Keys;
import xcm.trust.OwnerOnlyDirectory;
import xcm.trust.Pem;
import xcm.trust.TrustFileException;

/**
 * A member's own key pair, kept in a directory of its own, with the certificate chain the cluster
 * gave it once it has one. An agent makes its key the first time it starts, asks for a certificate
 * with {@link #request}, and installs what the coordinator sends back; from then on {@link
 * #credentials()} is what it presents in TLS.
 *
 * <p>The directory (mode 0700) holds
 *
 * <pre>
 * host.key   the EC P-256 private key, PKCS#8 PEM, mode 0600 (refused when group or others may read it)
 * host.crt   the certificate chain, PEM: its own certificate, then the cluster authority's
 * </pre>
 *
 * <pre>{@code
 * HostKey key = HostKey.open(Path.of("/var/lib/xcm/agent/tls"));
 * if (key.credentials().isEmpty()) {
 *   String pem = key.request("hv01", Optional.of(libvirtUuid)).pem();   // to the coordinator
 *   key.install(Pem.readCertificates(answer));                           // what came back
 * }
 * HostCredentials own = key.credentials().orElseThrow();
 * }</pre>
 *
 * Thread-safe.
 */
public final class HostKey {
  static final String KEY_FILE = "host.key";
  static final String CHAIN_FILE = "host.crt";

  private final OwnerOnlyDirectory directory;
  private final KeyPair keys;
  private volatile HostCredentials credentials;

  private HostKey(OwnerOnlyDirectory directory, KeyPair keys, HostCredentials credentials) {
    this.directory = directory;
    this.keys = keys;
    this.credentials = credentials;
  }

  /**
   * Opens a host's key directory, making the directory and a new key pair when there is none.
   *
   * @throws TrustFileException when the directory or the key is open to group or others ({@code
   *     TOO_OPEN}), a file is not what it should hold ({@code MALFORMED}), or the certificate is
   *     not for the key ({@code MISMATCHED})
   */
  public static HostKey open(Path path) throws IOException {
    return open(path, new SecureRandom());
  }

  /** As {@link #open(Path)}, with the randomness a new key is made from. */
  public static HostKey open(Path path, SecureRandom random) throws IOException {
    OwnerOnlyDirectory directory = OwnerOnlyDirectory.open(path);
    if (!directory.exists(KEY_FILE)) {
      if (directory.exists(CHAIN_FILE)) {
        throw new TrustFileException(
            directory.resolve(KEY_FILE),
            TrustFileException.Problem.MISMATCHED,
            "missing while "
                + CHAIN_FILE
                + " is there: restore it, or remove "
                + CHAIN_FILE
                + " to enrol again with a new key");
      }
      KeyPair keys = Keys.generate(random);
      directory.write(
          KEY_FILE, Pem.privateKey(keys.getPrivate()).getBytes(StandardCharsets.US_ASCII));
      return new HostKey(directory, keys, null);
    }
    PrivateKey key = readKey(directory);
    HostCredentials credentials = null;
    PublicKey publicKey;
    if (directory.exists(CHAIN_FILE)) {
      credentials = readChain(directory, key);
      publicKey = credentials.certificate().getPublicKey();
    } else {
      publicKey = PublicKeys.of(key, directory.resolve(KEY_FILE));
    }
    return new HostKey(directory, new KeyPair(publicKey, key), credentials);
  }

  /**
   * Stores credentials the cluster authority made whole (key and certificate, {@code
   * ClusterAuthority#issueWithKey}) as a host key directory: the coordinator's own, the demo's.
   */
  public static HostKey store(Path path, HostCredentials credentials) throws IOException {
    OwnerOnlyDirectory directory = OwnerOnlyDirectory.open(path);
    directory.write(
        KEY_FILE, Pem.privateKey(credentials.privateKey()).getBytes(StandardCharsets.US_ASCII));
    directory.write(
        CHAIN_FILE, Pem.certificates(credentials.chain()).getBytes(StandardCharsets.US_ASCII));
    return new HostKey(
        directory,
        new KeyPair(credentials.certificate().getPublicKey(), credentials.privateKey()),
        credentials);
  }

  private static PrivateKey readKey(OwnerOnlyDirectory directory) throws IOException {
    byte[] pem = directory.readSecret(KEY_FILE);
    try {
      return Pem.readPrivateKey(new String(pem, StandardCharsets.US_ASCII));
    } catch (IOException e) {
      throw new TrustFileException(
          directory.resolve(KEY_FILE), TrustFileException.Problem.MALFORMED, e.getMessage(), e);
    }
  }

  private static HostCredentials readChain(OwnerOnlyDirectory directory, PrivateKey key)
      throws IOException {
    Path path = directory.resolve(CHAIN_FILE);
    List<X509Certificate> chain;
    try {
      chain =
          Pem.readCertificates(new String(directory.read(CHAIN_FILE), StandardCharsets.US_ASCII));
    } catch (CertificateException e) {
      throw new TrustFileException(path, TrustFileException.Problem.MALFORMED, e.getMessage(), e);
    }
    try {
      return new HostCredentials(key, chain);
    } catch (IllegalArgumentException e) {
      throw new TrustFileException(path, TrustFileException.Problem.MISMATCHED, e.getMessage(), e);
    }
  }

  /** A certificate request for this key, for a name (and an agent's libvirt UUID). */
  public CertificateRequest request(String name, Optional<UUID> libvirtUuid) {
    return CertificateRequest.create(keys, name, libvirtUuid);
  }

  /** The public key's fingerprint: what an operator compares before approving this host. */
  public Fingerprint keyFingerprint() {
    return Fingerprint.ofKey(keys.getPublic());
  }

  /**
   * Installs the certificate chain the coordinator issued for this key (its own certificate first,
   * the authority's last), replacing an earlier one.
   *
   * @throws IllegalArgumentException when the chain is not for this key or does not chain up
   */
  public HostCredentials install(List<X509Certificate> chain) throws IOException {
    HostCredentials installed = new HostCredentials(keys.getPrivate(), chain);
    if (installed.authority().getBasicConstraints() < 0 || chain.size() < 2) {
      throw new IllegalArgumentException(
          "the chain must end in the cluster authority's certificate, found "
              + installed.authority().getSubjectX500Principal().getName());
    }
    synchronized (this) {
      directory.write(
          CHAIN_FILE, Pem.certificates(installed.chain()).getBytes(StandardCharsets.US_ASCII));
      credentials = installed;
    }
    return installed;
  }

  /** The key with its certificate chain, once one is installed. */
  public Optional<HostCredentials> credentials() {
    return Optional.ofNullable(credentials);
  }

  public PublicKey publicKey() {
    return keys.getPublic();
  }

  public Path directory() {
    return directory.path();
  }

  @Override
  public String toString() {
    return "HostKey[" + directory.path() + " " + keyFingerprint() + "]";
  }
}
