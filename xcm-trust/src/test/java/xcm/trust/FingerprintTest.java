package xcm.trust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPair;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

class FingerprintTest {
  @Test
  void isWrittenAsOpensslShowsItAndReadAsAnOperatorTypesIt() {
    KeyPair keys = Keys.generate(new SecureRandom());
    Fingerprint fingerprint = Fingerprint.ofKey(keys.getPublic());
    String shown = fingerprint.toString();
    assertThat(shown).matches("SHA256(:[0-9A-F]{2}){32}");
    assertThat(Fingerprint.parse(shown)).isEqualTo(fingerprint);
    assertThat(Fingerprint.parse(shown.toLowerCase())).isEqualTo(fingerprint);
    assertThat(Fingerprint.parse(shown.substring("SHA256:".length()).replace(":", "")))
        .isEqualTo(fingerprint);
  }

  @Test
  void somethingElseIsRefusedNamingIt() {
    assertThatThrownBy(() -> Fingerprint.parse("SHA256:AB:CD"))
        .hasMessage(
            "fingerprint \"SHA256:AB:CD\" is not a SHA-256 fingerprint: 32 hex bytes, e.g."
                + " SHA256:AB:CD:…");
  }
}
