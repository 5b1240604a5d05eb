package xcm.trust;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.util.io.pem.PemGenerationException;
import org.bouncycastle.util.io.pem.PemObjectGenerator;

/**
 * PEM, as OpenSSL reads and writes it: certificates ({@code CERTIFICATE}) and unencrypted PKCS#8
 * private keys ({@code PRIVATE KEY}; the file's mode protects it, see {@link OwnerOnlyDirectory}).
 *
 * <pre>{@code
 * String pem = Pem.certificates(List.of(leaf, authority));
 * List<X509Certificate> chain = Pem.readCertificates(pem);
 * }</pre>
 *
 * Stateless.
 */
public final class Pem {
  private Pem() {}

  /** Certificates, one PEM block each, in the order given. */
  public static String certificates(List<X509Certificate> certificates) {
    return write(certificates.toArray());
  }

  /** A private key as PKCS#8 {@code PRIVATE KEY}. */
  public static String privateKey(PrivateKey key) {
    try {
      return write(new JcaPKCS8Generator(key, null).generate());
    } catch (PemGenerationException e) {
      throw new IllegalArgumentException("private key cannot be encoded: " + e.getMessage(), e);
    }
  }

  /**
   * Reads the certificates of a PEM text, in order.
   *
   * @throws CertificateException when a block is not a certificate, or there is none
   */
  public static List<X509Certificate> readCertificates(String pem) throws CertificateException {
    List<X509Certificate> certificates = new ArrayList<>();
    JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
    try (PEMParser parser = new PEMParser(new StringReader(pem))) {
      for (Object block = parser.readObject(); block != null; block = parser.readObject()) {
        if (!(block instanceof X509CertificateHolder holder)) {
          throw new CertificateException(
              "holds a " + kind(block) + " where only certificates belong");
        }
        certificates.add(converter.getCertificate(holder));
      }
    } catch (IOException e) {
      throw new CertificateException("not PEM certificates: " + e.getMessage(), e);
    }
    if (certificates.isEmpty()) {
      throw new CertificateException("holds no PEM certificate");
    }
    return List.copyOf(certificates);
  }

  /**
   * Reads the one PKCS#8 private key of a PEM text.
   *
   * @throws IOException when the text holds anything else
   */
  public static PrivateKey readPrivateKey(String pem) throws IOException {
    try (PEMParser parser = new PEMParser(new StringReader(pem))) {
      Object block = parser.readObject();
      if (!(block instanceof PrivateKeyInfo info)) {
        throw new IOException(
            "holds "
                + (block == null ? "nothing" : "a " + kind(block))
                + " where an unencrypted PKCS#8 private key (BEGIN PRIVATE KEY) belongs");
      }
      if (parser.readObject() != null) {
        throw new IOException("holds more than the one private key");
      }
      return new JcaPEMKeyConverter().getPrivateKey(info);
    }
  }

  private static String kind(Object block) {
    return block.getClass().getSimpleName();
  }

  private static String write(Object... objects) {
    StringWriter text = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
      for (Object o : objects) {
        if (o instanceof PemObjectGenerator generator) {
          writer.writeObject(generator);
        } else {
          writer.writeObject(o);
        }
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot be written as PEM: " + e.getMessage(), e);
    }
    return text.toString();
  }
}
