package xcm.trust;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;

/**
 * The SHA-256 digest of a certificate or of a public key, written {@code SHA256:} and 32 upper-case
 * hex bytes separated by colons, as {@code openssl x509 -noout -fingerprint -sha256} shows a
 * certificate's (after its {@code sha256 Fingerprint=}): an operator compares the two by eye.
 *
 * <p>A certificate's fingerprint names that one certificate (pin it to accept exactly it); a key's
 * fingerprint ({@link #ofKey}, over the DER SubjectPublicKeyInfo, as {@code openssl pkey -pubin
 * -outform DER | sha256sum} computes it) stays the same when the certificate is renewed for the
 * same key, and is what a host shows before it has a certificate at all.
 *
 * <pre>{@code
 * Fingerprint seen = Fingerprint.of(certificate);
 * boolean same = seen.equals(Fingerprint.parse("sha256:ab:cd:…"));
 * }</pre>
 *
 * Immutable.
 */
public final class Fingerprint {
  private static final String PREFIX = "SHA256:";
  private static final HexFormat COLONS = HexFormat.ofDelimiter(":").withUpperCase();

  private final byte[] digest;

  private Fingerprint(byte[] digest) {
    this.digest = digest;
  }

  /** The fingerprint of a certificate: SHA-256 over its DER encoding. */
  public static Fingerprint of(X509Certificate certificate) {
    try {
      return new Fingerprint(sha256(certificate.getEncoded()));
    } catch (CertificateEncodingException e) {
      throw new IllegalArgumentException("certificate cannot be encoded: " + e.getMessage(), e);
    }
  }

  /** The fingerprint of a public key: SHA-256 over its DER SubjectPublicKeyInfo. */
  public static Fingerprint ofKey(PublicKey key) {
    return new Fingerprint(sha256(key.getEncoded()));
  }

  /**
   * Reads a fingerprint as an operator may type it: with or without {@code SHA256:}, with or
   * without colons, in either case.
   *
   * @throws IllegalArgumentException naming the value when it is not 32 hex bytes
   */
  public static Fingerprint parse(String text) {
    String hex = text == null ? "" : text.strip();
    if (hex.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
      hex = hex.substring(PREFIX.length());
    }
    hex = hex.replace(":", "").toLowerCase(Locale.ROOT);
    if (hex.length() == 64 && hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
      return new Fingerprint(HexFormat.of().parseHex(hex));
    }
    throw new IllegalArgumentException(
        "fingerprint "
            + Printable.quote(text)
            + " is not a SHA-256 fingerprint: 32 hex bytes, e.g. SHA256:AB:CD:…");
  }

  static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Fingerprint f && Arrays.equals(digest, f.digest);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(digest);
  }

  /** {@code SHA256:AB:CD:…}. */
  @Override
  public String toString() {
    return PREFIX + COLONS.formatHex(digest);
  }
}
