package xcm.trust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.junit.jupiter.api.Test;

class CertificateRequestTest {
  private static final UUID HOST = UUID.fromString("4dea22b3-1d52-d8f3-2516-782e98ab3fa0");
  private final KeyPair keys = Keys.generate(new SecureRandom());

  @Test
  void requestCarriesNameLibvirtUuidAndKeyThroughPem() throws Exception {
    CertificateRequest sent = CertificateRequest.create(keys, "hv01", Optional.of(HOST));

    CertificateRequest received = CertificateRequest.parse(sent.pem());

    assertThat(received.name()).isEqualTo("hv01");
    assertThat(received.libvirtUuid()).contains(HOST);
    assertThat(received.publicKey()).isEqualTo(keys.getPublic());
    assertThat(received.keyFingerprint()).isEqualTo(Fingerprint.ofKey(keys.getPublic()));
    assertThat(sent.pem()).startsWith("-----BEGIN CERTIFICATE REQUEST-----");
  }

  @Test
  void requestWhoseNameWasChangedAfterSigningIsRefused() {
    byte[] der = CertificateRequest.create(keys, "hv01", Optional.empty()).encoded();
    byte[] changed = replaceAll(der, "hv01", "hv02");

    assertThatThrownBy(() -> CertificateRequest.parse(pem(changed)))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessage(
            "certificate request has a signature that does not verify with its own key: it was"
                + " changed after it was signed, or never signed with that key");
  }

  @Test
  void requestWithAnotherKindOfKeyIsRefused() throws Exception {
    KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
    rsa.initialize(2048);
    KeyPair rsaKeys = rsa.generateKeyPair();
    PKCS10CertificationRequest request =
        new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=hv01"), rsaKeys.getPublic())
            .build(new JcaContentSignerBuilder("SHA256withRSA").build(rsaKeys.getPrivate()));

    assertThatThrownBy(() -> CertificateRequest.parse(pem(request.getEncoded())))
        .hasMessage("certificate request has a RSA key; cluster keys are EC P-256");
  }

  @Test
  void textThatIsNoRequestIsRefused() {
    assertThatThrownBy(() -> CertificateRequest.parse("x".repeat(9000)))
        .hasMessage("certificate request is 9000 characters long, more than 8192");
    assertThatThrownBy(() -> CertificateRequest.parse("hello"))
        .hasMessage("certificate request is not a certificate request (BEGIN CERTIFICATE REQUEST)");
  }

  static String pem(byte[] der) {
    return "-----BEGIN CERTIFICATE REQUEST-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END CERTIFICATE REQUEST-----\n";
  }

  static byte[] replaceAll(byte[] data, String from, String to) {
    byte[] f = from.getBytes(StandardCharsets.US_ASCII);
    byte[] t = to.getBytes(StandardCharsets.US_ASCII);
    byte[] out = data.clone();
    int replaced = 0;
    for (int i = 0; i + f.length <= out.length; i++) {
      boolean match = true;
      for (int j = 0; j < f.length && match; j++) {
        match = out[i + j] == f[j];
      }
      if (match) {
        System.arraycopy(t, 0, out, i, t.length);
        replaced++;
      }
    }
    assertThat(replaced).as("occurrences of " + from).isPositive();
    return out;
  }
}
