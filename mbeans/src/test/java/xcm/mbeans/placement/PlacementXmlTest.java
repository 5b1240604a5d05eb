package xcm.mbeans.placement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PlacementXmlTest {
  private static final PlacementRules EVERY_KIND =
      PlacementRules.parse(
          "apart db; together app soft; on rack=r1; not-on zone=b; prefer ssd=true; avoid"
              + " rack=r3; pinned; restart never");

  @Test
  void rulesAreWrittenAsOneElementAndReadBackEqual() {
    String xml = PlacementXml.write(EVERY_KIND);

    assertThat(xml)
        .isEqualTo(
            "<placement version=\"1\"><apart group=\"db\" strength=\"hard\"/><together"
                + " group=\"app\" strength=\"soft\"/><host rule=\"on\" labels=\"rack=r1\"/><host"
                + " rule=\"not-on\" labels=\"zone=b\"/><host rule=\"prefer\""
                + " labels=\"ssd=true\"/><host rule=\"avoid\" labels=\"rack=r3\"/><pinned/><restart"
                + " priority=\"never\"/></placement>");
    assertThat(PlacementXml.parse(xml)).isEqualTo(EVERY_KIND);
    assertThat(PlacementXml.write(PlacementRules.NONE)).isEmpty();
    assertThat(PlacementXml.parse("")).isEqualTo(PlacementRules.NONE);
  }

  @Test
  void theElementIsReadWithThePrefixLibvirtWritesInDumpxml() {
    String dumped =
        "<xcm:placement xmlns:xcm=\"urn:xcm:placement\" version=\"1\">\n"
            + "  <xcm:apart group=\"db\"/>\n"
            + "  <xcm:host rule=\"on\" labels=\"rack=r1\"/>\n"
            + "</xcm:placement>";

    assertThat(PlacementXml.parse(dumped)).isEqualTo(PlacementRules.parse("apart db; on rack=r1"));
  }

  @Test
  void metadataWrittenWrongByHandIsRefusedNamingWhatIsWrong() {
    assertThatThrownBy(() -> PlacementXml.parse("<placement version=\"2\"/>"))
        .isInstanceOf(RulesFormatException.class)
        .hasMessage("placement metadata version '2': this XCM reads version 1");
    assertThatThrownBy(() -> PlacementXml.parse("<placement/>"))
        .hasMessage("placement metadata version 'null': this XCM reads version 1");
    assertThatThrownBy(() -> PlacementXml.parse("<rules version=\"1\"/>"))
        .hasMessage("placement metadata starts with <rules>, not <placement>");
    assertThatThrownBy(
            () -> PlacementXml.parse("<placement version=\"1\"><apart grop=\"db\"/></placement>"))
        .hasMessage("<apart>: attribute 'grop' is not known");
    assertThatThrownBy(() -> PlacementXml.parse("<placement version=\"1\"><apart/></placement>"))
        .hasMessage("<apart> has no group attribute");
    assertThatThrownBy(
            () -> PlacementXml.parse("<placement version=\"1\"><near group=\"x\"/></placement>"))
        .hasMessage("<near> is not a placement rule (apart, together, host, pinned, restart)");
    assertThatThrownBy(
            () ->
                PlacementXml.parse(
                    "<placement version=\"1\"><host rule=\"on\" labels=\"rack\"/></placement>"))
        .hasMessage(
            "rule '<host rule='on'>': label 'rack' is not key=value (labels are separated by"
                + " commas)");
    assertThatThrownBy(() -> PlacementXml.parse("<placement version=\"1\">db</placement>"))
        .hasMessage("placement metadata has text 'db' outside rules");
    assertThatThrownBy(() -> PlacementXml.parse("<placement version=\"1\">"))
        .hasMessageStartingWith("placement metadata is not XML: ");
  }

  @Test
  void entitiesAndOversizedMetadataAreRefusedUnread() {
    String xxe =
        "<?xml version=\"1.0\"?><!DOCTYPE placement [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
            + "<placement version=\"1\"><apart group=\"&x;\"/></placement>";
    assertThatThrownBy(() -> PlacementXml.parse(xxe)).isInstanceOf(RulesFormatException.class);
    assertThatThrownBy(() -> PlacementXml.parse(" ".repeat(PlacementXml.MAX_CHARS + 1) + "<x/>"))
        .hasMessage("placement metadata is 16389 characters, above 16384");
  }

  @Test
  void whatAReaderKeptInPlaceOfMetadataIsRefusedWithItsReason() {
    assertThatThrownBy(() -> PlacementXml.parse(PlacementXml.unread(PlacementXml.tooLong(20_000))))
        .isInstanceOf(RulesFormatException.class)
        .hasMessage("placement metadata is 20000 characters, above 16384");
    assertThatThrownBy(
            () -> PlacementXml.parse(PlacementXml.unread("cannot read the placement metadata: x")))
        .hasMessage("cannot read the placement metadata: x");
  }
}
