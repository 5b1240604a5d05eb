package xcm.trust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class SubjectTest {
  private static final UUID HOST = UUID.fromString("4dea22b3-1d52-d8f3-2516-782e98ab3fa0");

  @Test
  void agentIsWrittenAsRoleNameAndLibvirtUuidUrns() {
    assertThat(Subject.agent("hv01.example.org", HOST).uris())
        .containsExactly(
            "urn:xcm:role:agent",
            "urn:xcm:name:hv01.example.org",
            "urn:xcm:libvirt-uuid:4dea22b3-1d52-d8f3-2516-782e98ab3fa0");
    assertThat(Subject.coordinator("coord1").uris())
        .containsExactly("urn:xcm:role:coordinator", "urn:xcm:name:coord1");
  }

  @Test
  void readsBackWhatItWrites() {
    Subject agent = Subject.agent("hv01", HOST);
    assertThat(Subject.read("hv01", agent.uris())).isEqualTo(agent);
  }

  @Test
  void badNameIsRefusedNamingTheValueEscaped() {
    assertThatThrownBy(() -> Subject.coordinator("evil\nINFO forged"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("coordinator name \"evil\\nINFO forged\" is not valid: use letters")
        .hasMessageNotContaining("\n");
    assertThat(Subject.isValidName("-hv")).isFalse();
    assertThat(Subject.isValidName("hv..01")).isFalse();
    assertThat(Subject.isValidName("a".repeat(64))).isFalse();
    assertThat(Subject.isValidName("a".repeat(63))).isTrue();
    assertThat(Subject.isValidName(("a".repeat(63) + ".").repeat(4) + "b")).isFalse();
    assertThat(Subject.isValidName("under_score")).isFalse();
  }

  @Test
  void agentWithoutLibvirtUuidIsRefused() {
    assertThatThrownBy(() -> new Subject(Role.AGENT, "hv01", Optional.empty()))
        .hasMessage("agent hv01: an agent's certificate names its host's libvirt UUID, none given");
  }

  @Test
  void certificateNamesThatContradictOrRepeatAreRefused() {
    assertThatThrownBy(() -> Subject.read("hv02", Subject.coordinator("hv01").uris()))
        .hasMessage("the name \"hv01\" differs from the common name \"hv02\"");
    assertThatThrownBy(
            () ->
                Subject.read(
                    "hv01",
                    List.of("urn:xcm:role:agent", "urn:xcm:role:coordinator", "urn:xcm:name:hv01")))
        .hasMessage("more than one role");
    assertThatThrownBy(
            () -> Subject.read("hv01", List.of("urn:xcm:role:root", "urn:xcm:name:hv01")))
        .hasMessage("unknown role \"root\"");
    assertThatThrownBy(
            () ->
                Subject.read(
                    "hv01",
                    List.of("urn:xcm:role:client", "urn:xcm:name:hv01", "urn:xcm:admin:yes")))
        .hasMessage("unknown XCM name \"urn:xcm:admin:yes\"");
    assertThatThrownBy(() -> Subject.read("hv01", List.of("urn:xcm:name:hv01")))
        .hasMessage("no urn:xcm:role:… role");
    assertThatThrownBy(
            () ->
                Subject.read(
                    "hv01",
                    List.of(
                        "urn:xcm:role:agent",
                        "urn:xcm:name:hv01",
                        "urn:xcm:libvirt-uuid:4DEA22B3-1D52-D8F3-2516-782E98AB3FA0")))
        .hasMessage(
            "libvirt UUID \"4DEA22B3-1D52-D8F3-2516-782E98AB3FA0\" is not a lower-case UUID");
  }
}
