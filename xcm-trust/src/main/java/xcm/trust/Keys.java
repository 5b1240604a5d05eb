package xcm.trust;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;

/**
 * The one kind of key a cluster uses, for its authority, its hosts and its people alike: EC on the
 * curve P-256 ({@code secp256r1}), signing with ECDSA over SHA-256. Every Java runtime has both.
 *
 * <pre>{@code
 * KeyPair keys = Keys.generate(new SecureRandom());
 * }</pre>
 *
 * Stateless.
 */
public final class Keys {
  /** The JCA name of the signature algorithm: certificates, requests and tickets. */
  public static final String SIGNATURE = "SHA256withECDSA";

  private Keys() {}

  /** A new key pair. */
  public static KeyPair generate(SecureRandom random) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"), random);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every Java runtime has EC P-256: " + e.getMessage(), e);
    }
  }
}
