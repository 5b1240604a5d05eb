package xcm.mbeans;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The digest an agent shows as a domain's {@code DefinitionDigest}: of the XML {@code
 * domainDefinition} returns for it, so that a collector that keeps definitions fetches the XML only
 * when the digest changed, and can check the XML it got against the digest it read.
 *
 * <pre>{@code
 * String xml = agent.domainDefinition("web01");
 * boolean same = DefinitionDigest.of(xml).equals(digestReadInTheBulkCollect);
 * }</pre>
 *
 * <p>Thread-safe: stateless.
 */
public final class DefinitionDigest {
  /** What a digest is when the definition cannot be read. */
  public static final String NONE = "";

  /** Hex characters kept: 128 bits of SHA-256 tell definitions apart as well as all 256 would. */
  public static final int LENGTH = 32;

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private DefinitionDigest() {}

  /** The first {@value #LENGTH} lower-case hex characters of SHA-256 of the XML's UTF-8 bytes. */
  public static String of(String xml) {
    byte[] hash;
    try {
      hash = MessageDigest.getInstance("SHA-256").digest(xml.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      // Every Java platform must have SHA-256.
      throw new IllegalStateException("no SHA-256 in this JVM", e);
    }
    char[] hex = new char[LENGTH];
    for (int i = 0; i < LENGTH / 2; i++) {
      hex[2 * i] = HEX[(hash[i] >> 4) & 0xf];
      hex[2 * i + 1] = HEX[hash[i] & 0xf];
    }
    return new String(hex);
  }
}
