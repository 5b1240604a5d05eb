package xcm.trust.key;

import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X9ECParameters;
import xcm.trust.TrustFileException;

/**
 * The public half of a stored private key. A PKCS#8 file holds only the private half, and a host
 * that has not been given its certificate yet must still show its key's fingerprint and sign its
 * request: the public point is the private scalar times the curve's generator.
 */
final class PublicKeys {
  private PublicKeys() {}

  static PublicKey of(PrivateKey key, Path source) throws TrustFileException {
    if (!(key instanceof ECPrivateKey ec)) {
      throw new TrustFileException(
          source,
          TrustFileException.Problem.MALFORMED,
          "holds a " + key.getAlgorithm() + " key; cluster keys are EC P-256");
    }
    X9ECParameters curve = ECNamedCurveTable.getByName("secp256r1");
    if (ec.getParams().getOrder().bitLength() != 256
        || !ec.getParams().getOrder().equals(curve.getN())) {
      throw new TrustFileException(
          source, TrustFileException.Problem.MALFORMED, "holds an EC key not on the curve P-256");
    }
    org.bouncycastle.math.ec.ECPoint q = curve.getG().multiply(ec.getS()).normalize();
    try {
      return KeyFactory.getInstance("EC")
          .generatePublic(
              new ECPublicKeySpec(
                  new ECPoint(
                      q.getAffineXCoord().toBigInteger(), q.getAffineYCoord().toBigInteger()),
                  ec.getParams()));
    } catch (GeneralSecurityException e) {
      throw new TrustFileException(
          source, TrustFileException.Problem.MALFORMED, "holds an unusable EC key", e);
    }
  }
}
