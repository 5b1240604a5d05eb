package xcm.coordinator.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import xcm.coordinator.enrol.Enrolled;
import xcm.trust.enrol.TokenRecord;

class RegistryRowsTest {
  private final Clock clock = Clock.fixed(Instant.parse("2026-12-04T12:00:00Z"), ZoneOffset.UTC);
  private final Journal journal = Journal.inMemory(clock);
  private final RegistryRows registry = journal.registry();

  @AfterEach
  void close() {
    journal.close();
  }

  private static Enrolled enrolled(String host, String uuid, String serial) {
    Instant at = Instant.parse("2026-12-01T00:00:00Z");
    return new Enrolled(
        host,
        uuid,
        "https://" + host + ":8778/jolokia/",
        "SHA256:AB",
        serial,
        "-----BEGIN CERTIFICATE-----",
        at,
        at.plusSeconds(86_400 * 365));
  }

  private static RegistryRows.Seed seed(String authority, String host) {
    return new RegistryRows.Seed(
        authority,
        List.of(enrolled(host, "0f6d2d4e-8a55-4d27-9d0f-1b2c3d4e5f60", "1f")),
        Map.of("2a", ""),
        List.of(
            new TokenRecord(
                "hv09",
                "a".repeat(64),
                Instant.parse("2026-12-04T11:00:00Z"),
                Instant.parse("2026-12-05T11:00:00Z"),
                Optional.empty())),
        List.of("http://10.0.0.9:8778/jolokia/"));
  }

  @Test
  void theFirstCoordinatorsStateIsBroughtInAllAtOnceAndOnlyOnce() throws IOException {
    assertThat(registry.adopt(seed("SHA256:FIRST", "hv01"))).isTrue();
    assertThat(registry.adopt(seed("SHA256:SECOND", "hv02"))).isFalse();

    assertThat(registry.authority()).contains("SHA256:FIRST");
    var all = registry.enrolled().since(0);
    assertThat(all.enrolled()).extracting(Enrolled::host).containsExactly("hv01");
    assertThat(all.revoked()).containsExactly("2a");
    assertThat(all.removed()).as("a revoked serial of no known host removes nobody").isEmpty();
    assertThat(registry.tokens().load()).extracting(TokenRecord::name).containsExactly("hv09");
    assertThat(registry.members(0).added()).containsExactly("http://10.0.0.9:8778/jolokia/");
  }

  @Test
  void aReaderGetsWhatChangedSinceItLastLookedInOrder() {
    registry.addMember("http://a/");
    registry.addMember("http://b/");
    long seen = registry.members(0).version();
    registry.removeMember("http://a/");
    registry.enrolled().put(enrolled("hv01", "0f6d2d4e-8a55-4d27-9d0f-1b2c3d4e5f60", "1f"));

    var members = registry.members(seen);
    var hosts = registry.enrolled().since(seen);

    assertThat(members.members()).containsExactly(new RegistryRows.Member("http://a/", true));
    assertThat(hosts.enrolled()).extracting(Enrolled::host).containsExactly("hv01");
    assertThat(registry.members(members.version()).members()).isEmpty();
  }

  @Test
  void removingAnEnrolledHostRevokesItsCertificateAndLetsGoOfItsUrlInOneStep() {
    Enrolled hv01 = enrolled("hv01", "0f6d2d4e-8a55-4d27-9d0f-1b2c3d4e5f60", "1f");
    long before = registry.enrolled().put(hv01);

    registry.enrolled().remove(hv01);

    var changes = registry.enrolled().since(before);
    assertThat(changes.removed()).containsExactly("hv01");
    assertThat(changes.revoked()).containsExactly("1f");
    assertThat(registry.enrolled().since(0).enrolled()).isEmpty();
    assertThat(registry.members(before).members())
        .containsExactly(new RegistryRows.Member(hv01.url(), true));
  }

  @Test
  void aCoordinatorThatDoesNotHoldTheLeaseChangesNothing() {
    journal.standingBy();

    assertThatThrownBy(() -> registry.addMember("http://a/"))
        .isInstanceOf(JournalException.class)
        .hasMessageContaining("not the active one");
    assertThatThrownBy(
            () ->
                registry
                    .enrolled()
                    .put(enrolled("hv01", "0f6d2d4e-8a55-4d27-9d0f-1b2c3d4e5f60", "1f")))
        .isInstanceOf(JournalException.class);
    assertThat(registry.version()).isZero();
  }
}
