package xcm.trust;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/**
 * A host's request for a cluster certificate (PKCS#10): its public key and the name (and, for an
 * agent, the libvirt UUID) it asks for, signed with its private key. It states no role: the
 * coordinator decides that when it issues.
 *
 * <p>A request is parsed only whole and verified: {@link #parse} refuses one over {@value
 * #MAX_PEM_LENGTH} characters, one whose signature does not verify with its own key (so the
 * requester holds the private key, and nobody changed the name on the way), and one whose key is
 * not EC P-256.
 *
 * <pre>{@code
 * // on the host
 * CertificateRequest request = hostKey.request("hv01", Optional.of(libvirtUuid));
 * send(request.pem());
 * // on the coordinator
 * CertificateRequest received = CertificateRequest.parse(pem);
 * show(received.name(), received.keyFingerprint());   // for the operator to approve
 * }</pre>
 *
 * Immutable.
 */
public final class CertificateRequest {
  /** The longest PEM text {@link #parse} reads; a real request is under 1,000. */
  public static final int MAX_PEM_LENGTH = 8192;

  private final PKCS10CertificationRequest request;
  private final PublicKey publicKey;
  private final String name;
  private final Optional<UUID> libvirtUuid;

  private CertificateRequest(
      PKCS10CertificationRequest request,
      PublicKey publicKey,
      String name,
      Optional<UUID> libvirtUuid) {
    this.request = request;
    this.publicKey = publicKey;
    this.name = name;
    this.libvirtUuid = libvirtUuid;
  }

  /**
   * A request for a name (and an agent's libvirt UUID), signed with the key pair.
   *
   * @throws IllegalArgumentException when the name is not valid
   */
  public static CertificateRequest create(KeyPair keys, String name, Optional<UUID> libvirtUuid) {
    Subject.requireValidName(name, "host name");
    X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, name).build();
    List<GeneralName> uris = new ArrayList<>();
    uris.add(new GeneralName(GeneralName.uniformResourceIdentifier, Subject.NAME_URN + name));
    libvirtUuid.ifPresent(
        uuid ->
            uris.add(
                new GeneralName(
                    GeneralName.uniformResourceIdentifier, Subject.LIBVIRT_UUID_URN + uuid)));
    try {
      ExtensionsGenerator extensions = new ExtensionsGenerator();
      extensions.addExtension(
          Extension.subjectAlternativeName,
          false,
          new GeneralNames(uris.toArray(GeneralName[]::new)));
      PKCS10CertificationRequest request =
          new JcaPKCS10CertificationRequestBuilder(subject, keys.getPublic())
              .addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, extensions.generate())
              .build(new JcaContentSignerBuilder(Keys.SIGNATURE).build(keys.getPrivate()));
      return new CertificateRequest(request, keys.getPublic(), name, libvirtUuid);
    } catch (IOException | OperatorCreationException e) {
      throw new IllegalStateException("cannot sign a certificate request: " + e.getMessage(), e);
    }
  }

  /**
   * Reads and verifies a request in PEM ({@code BEGIN CERTIFICATE REQUEST}).
   *
   * @throws InvalidRequestException naming what is wrong: too long, not PEM, not a request, a
   *     signature that does not verify, a key that is not EC P-256, a name that is not valid
   */
  public static CertificateRequest parse(String pem) throws InvalidRequestException {
    if (pem.length() > MAX_PEM_LENGTH) {
      throw new InvalidRequestException(
          "is " + pem.length() + " characters long, more than " + MAX_PEM_LENGTH);
    }
    Object block;
    try (PEMParser parser = new PEMParser(new StringReader(pem))) {
      block = parser.readObject();
      if (parser.readObject() != null) {
        throw new InvalidRequestException("holds more than one PEM block");
      }
    } catch (IOException | RuntimeException e) {
      throw new InvalidRequestException("is not PEM: " + e.getMessage(), e);
    }
    if (!(block instanceof PKCS10CertificationRequest request)) {
      throw new InvalidRequestException("is not a certificate request (BEGIN CERTIFICATE REQUEST)");
    }
    PublicKey key;
    boolean signedByKey;
    try {
      key = new JcaPKCS10CertificationRequest(request).getPublicKey();
      signedByKey = request.isSignatureValid(new JcaContentVerifierProviderBuilder().build(key));
    } catch (GeneralSecurityException
        | OperatorCreationException
        | PKCSException
        | RuntimeException e) {
      throw new InvalidRequestException("cannot be verified: " + e.getMessage(), e);
    }
    if (!signedByKey) {
      throw new InvalidRequestException(
          "has a signature that does not verify with its own key: it was changed after it was"
              + " signed, or never signed with that key");
    }
    if (!(key instanceof ECPublicKey ec) || ec.getParams().getOrder().bitLength() != 256) {
      throw new InvalidRequestException(
          "has a " + key.getAlgorithm() + " key; cluster keys are EC P-256");
    }
    try {
      String commonName = PeerIdentity.commonName(request.getSubject());
      Subject.Claims claims = Subject.Claims.read(commonName, uris(request));
      if (claims.role != null) {
        throw new IllegalArgumentException(
            "it asks for the role " + claims.role.label() + "; the coordinator decides roles");
      }
      return new CertificateRequest(request, key, claims.name, claims.libvirtUuid);
    } catch (IllegalArgumentException e) {
      throw new InvalidRequestException("does not ask for an XCM identity: " + e.getMessage(), e);
    }
  }

  private static List<String> uris(PKCS10CertificationRequest request) {
    Extensions extensions = request.getRequestedExtensions();
    List<String> uris = new ArrayList<>();
    if (extensions != null) {
      GeneralNames names =
          GeneralNames.fromExtensions(extensions, Extension.subjectAlternativeName);
      if (names != null) {
        for (GeneralName n : names.getNames()) {
          if (n.getTagNo() == GeneralName.uniformResourceIdentifier) {
            uris.add(n.getName().toString());
          }
        }
      }
    }
    return uris;
  }

  /** The name the host asks for. */
  public String name() {
    return name;
  }

  /** The libvirt UUID the host states; agents state one. */
  public Optional<UUID> libvirtUuid() {
    return libvirtUuid;
  }

  public PublicKey publicKey() {
    return publicKey;
  }

  /** What the operator compares with what the host shows before approving it. */
  public Fingerprint keyFingerprint() {
    return Fingerprint.ofKey(publicKey);
  }

  /** The request in DER, as PKCS#10 encodes it. */
  public byte[] encoded() {
    try {
      return request.getEncoded();
    } catch (IOException e) {
      throw new IllegalStateException("a parsed request encodes again", e);
    }
  }

  /** The request as PEM, to send to the coordinator. */
  public String pem() {
    StringWriter text = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
      writer.writeObject(request);
    } catch (IOException e) {
      throw new IllegalStateException("a request writes as PEM", e);
    }
    return text.toString();
  }

  @Override
  public String toString() {
    return "certificate request for "
        + name
        + libvirtUuid.map(u -> " (libvirt " + u + ")").orElse("")
        + " key "
        + keyFingerprint();
  }
}
