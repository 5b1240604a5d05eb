package xcm.mbeans.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SettingsTest {

  @Test
  void durationsAcceptTheUsualUnits() {
    Settings s =
        new Settings(
            "xcm.t.",
            Map.of("xcm.t.a", "500ms", "xcm.t.b", "5s", "xcm.t.c", "2m", "xcm.t.d", "1h"));

    assertThat(s.duration("a", null)).isEqualTo(Duration.ofMillis(500));
    assertThat(s.duration("b", null)).isEqualTo(Duration.ofSeconds(5));
    assertThat(s.duration("c", null)).isEqualTo(Duration.ofMinutes(2));
    assertThat(s.duration("d", null)).isEqualTo(Duration.ofHours(1));
    assertThat(s.duration("missing", Duration.ofSeconds(7))).isEqualTo(Duration.ofSeconds(7));
  }

  @Test
  void wrongDurationNamesKeyAndValue() {
    Settings s = new Settings("xcm.t.", Map.of("xcm.t.interval", "five"));

    assertThatThrownBy(() -> s.duration("interval", Duration.ZERO))
        .isInstanceOf(ConfigException.class)
        .hasMessage("xcm.t.interval: must be a duration like 5s, 500ms, 2m or 1h, found: \"five\"");
  }

  @Test
  void portOutOfRangeNamesKeyAndValue() {
    Settings s = new Settings("xcm.t.", Map.of("xcm.t.port", "70000"));

    assertThatThrownBy(() -> s.port("port", 1))
        .hasMessage("xcm.t.port: must be a port number 0..65535, found: \"70000\"");
  }

  @Test
  void unknownKeysUnderThePrefixFailAndOtherPrefixesAreIgnored() {
    Settings s =
        new Settings("xcm.t.", Map.of("xcm.t.port", "1", "xcm.t.prot", "2", "xcm.other.x", "3"));
    s.port("port", 0);

    assertThatThrownBy(s::requireAllUsed)
        .isInstanceOf(ConfigException.class)
        .hasMessage("xcm.t.prot: unknown key; known keys are xcm.t.port, found: \"2\"");
  }

  @Test
  void anUnknownKeyNamedLikeASecretHidesItsValue() {
    // A password key an older version knew, say, still holding the password.
    Settings s = new Settings("xcm.t.", Map.of("xcm.t.agent.password", "hunter2hunter2"));

    assertThatThrownBy(s::requireAllUsed)
        .hasMessage("xcm.t.agent.password: unknown key; known keys are , found: \"***\"");
  }

  @Test
  void requiredKeySaysWhatItIsFor() {
    Settings s = new Settings("xcm.t.", Map.of());

    assertThatThrownBy(() -> s.required("uri", "the libvirt URI"))
        .hasMessage("xcm.t.uri: required; the libvirt URI");
  }

  @Test
  void unresolvableAddressFailsAtLoad() {
    Settings s = new Settings("xcm.t.", Map.of("xcm.t.address", "no-such-host.invalid"));

    assertThatThrownBy(() -> s.address("address", "127.0.0.1"))
        .hasMessage(
            "xcm.t.address: not an address this machine can resolve, found:"
                + " \"no-such-host.invalid\"");
  }
}
