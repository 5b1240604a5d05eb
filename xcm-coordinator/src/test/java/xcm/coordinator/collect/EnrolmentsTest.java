package xcm.coordinator.collect;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Whether an agent that answers at a URL is the host enrolled there. */
class EnrolmentsTest {
  private static final String URL = "https://10.0.0.5:8778/jolokia/";
  private static final String UUID = "0f6d2d4e-8a55-4d27-9d0f-1b2c3d4e5f60";

  /** dmz01 enrolled at URL with UUID. */
  private final Enrolments enrolled =
      new Enrolments() {
        @Override
        public Optional<String> hostAt(String url) {
          return Optional.ofNullable(Map.of(URL, "dmz01").get(url));
        }

        @Override
        public Optional<String> urlOf(String host) {
          return Optional.ofNullable(Map.of("dmz01", URL).get(host));
        }

        @Override
        public Optional<String> libvirtUuidOf(String host) {
          return Optional.ofNullable(Map.of("dmz01", UUID).get(host));
        }
      };

  @Test
  void theEnrolledHostAtItsURLWithItsUUIDIsItself() {
    assertThat(enrolled.check(URL, "dmz01", UUID)).isEmpty();
    assertThat(enrolled.check("http://10.0.0.9:8778/jolokia/", "dmz09", "")).isEmpty();
  }

  @Test
  void anotherNameAtTheURLOrTheNameAtAnotherURLIsRefused() {
    assertThat(enrolled.check(URL, "dmz02", UUID))
        .hasValue("agent at " + URL + " reports host dmz02, but host dmz01 is enrolled there");
    assertThat(enrolled.check("http://10.0.0.9:8778/jolokia/", "dmz01", UUID))
        .hasValueSatisfying(
            reason -> assertThat(reason).endsWith("an enrolled host joins from its own URL only"));
  }

  @Test
  void theHostReportingAnotherLibvirtUUIDIsRefusedEveryRound() {
    assertThat(enrolled.check(URL, "dmz01", "7a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"))
        .hasValue(
            "agent at "
                + URL
                + " reports libvirt host UUID 7a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d, but host dmz01"
                + " was enrolled with "
                + UUID);
    assertThat(enrolled.check(URL, "dmz01", "")).get().asString().contains("UUID none");
    assertThat(Enrolments.NONE.check(URL, "dmz02", "")).isEmpty();
  }
}
