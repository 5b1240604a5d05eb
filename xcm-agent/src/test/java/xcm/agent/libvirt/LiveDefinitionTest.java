package xcm.agent.libvirt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import javax.xml.stream.XMLStreamException;
import org.junit.jupiter.api.Test;
import xcm.mbeans.placement.PlacementRules;
import xcm.mbeans.placement.PlacementXml;
import xcm.mbeans.placement.RulesFormatException;

class LiveDefinitionTest {

  @Test
  void disksAreTargetsOfDiskAndLunDevicesButNotCdroms() throws XMLStreamException {
    LiveDefinition devices =
        LiveDefinition.parse(
            "<domain><devices>"
                + "<disk type='file' device='disk'><source file='/a'/><target dev='vda'/></disk>"
                + "<disk type='block'><target dev='vdb'/></disk>"
                + "<disk type='block' device='lun'><target dev='sdc'/></disk>"
                + "<disk type='file' device='cdrom'><target dev='sda'/></disk>"
                + "<disk type='file' device='floppy'><target dev='fda'/></disk>"
                + "</devices></domain>");

    assertThat(devices.disks()).containsExactly("vda", "vdb", "sdc");
    assertThat(devices.interfaces()).isEmpty();
  }

  @Test
  void interfacesAreTheirTargetOrElseTheirMac() throws XMLStreamException {
    LiveDefinition devices =
        LiveDefinition.parse(
            "<domain><devices>"
                + "<interface type='network'><mac address='52:54:00:00:00:01'/>"
                + "<target dev='vnet0'/></interface>"
                + "<interface type='user'><mac address='52:54:00:00:00:02'/></interface>"
                + "<interface type='user'/>"
                + "</devices></domain>");

    assertThat(devices.interfaces()).containsExactly("vnet0", "52:54:00:00:00:02");
  }

  @Test
  void externalEntitiesAreNotResolved() {
    assertThatThrownBy(
            () ->
                LiveDefinition.parse(
                    "<!DOCTYPE d [<!ENTITY x SYSTEM 'file:///etc/passwd'>]>"
                        + "<domain><devices><disk><target dev='&x;'/></disk></devices></domain>"))
        .isInstanceOf(XMLStreamException.class);
  }

  private static String withMetadata(String metadata) {
    return "<domain type='kvm'><name>db01</name>"
        + "<description>&lt;placement version='1'/&gt;</description>"
        + "<metadata>"
        + metadata
        + "</metadata><devices><disk device='disk'><target dev='vda'/></disk></devices></domain>";
  }

  @Test
  void placementIsTheElementInXcmsNamespaceUnderMetadataWithItsPrefix() throws Exception {
    // As libvirt dumps it: beside another tool's metadata, pretty-printed, the prefix declared on
    // the element itself.
    LiveDefinition live =
        LiveDefinition.parse(
            withMetadata(
                "<other:thing xmlns:other='urn:other'><other:placement version='1'/></other:thing>"
                    + "\n    <xcm:placement xmlns:xcm=\"urn:xcm:placement\" version=\"1\">\n"
                    + "      <xcm:apart group=\"db\"/>\n"
                    + "      <xcm:host rule=\"on\" labels=\"rack=r1\"/>\n"
                    + "    </xcm:placement>"));

    assertThat(live.disks()).containsExactly("vda");
    assertThat(live.placementXml())
        .isEqualTo(
            "<xcm:placement xmlns:xcm=\"urn:xcm:placement\" version=\"1\">\n"
                + "      <xcm:apart group=\"db\"></xcm:apart>\n"
                + "      <xcm:host rule=\"on\" labels=\"rack=r1\"></xcm:host>\n"
                + "    </xcm:placement>");
    assertThat(PlacementXml.parse(live.placementXml()))
        .isEqualTo(PlacementRules.parse("apart db; on rack=r1"));
  }

  @Test
  void aDomainWithoutPlacementMetadataHasNone() throws Exception {
    assertThat(LiveDefinition.parse(withMetadata("")).placementXml()).isEmpty();
    assertThat(LiveDefinition.parse("<domain><name>a</name><devices/></domain>").placementXml())
        .isEmpty();
    // The namespace counts only directly under <metadata>.
    assertThat(
            LiveDefinition.parse(
                    withMetadata(
                        "<o:x xmlns:o='urn:o'><p:placement xmlns:p='urn:xcm:placement'"
                            + " version='1'/></o:x>"))
                .placementXml())
        .isEmpty();
  }

  @Test
  void onlyTheFirstPlacementElementCountsAsLibvirtReadsIt() throws Exception {
    LiveDefinition live =
        LiveDefinition.parse(
            withMetadata(
                "<a:placement xmlns:a='urn:xcm:placement' version='1'><a:pinned/></a:placement>"
                    + "<b:placement xmlns:b='urn:xcm:placement' version='1'/>"));

    assertThat(PlacementXml.parse(live.placementXml())).isEqualTo(PlacementRules.parse("pinned"));
  }

  @Test
  void aPrefixDeclaredOnMetadataIsDeclaredOnTheCopy() throws Exception {
    String xml =
        "<domain><name>a</name><metadata xmlns:xcm='urn:xcm:placement'>"
            + "<xcm:placement version='1'><xcm:restart priority='high'/></xcm:placement>"
            + "</metadata></domain>";

    String placement = LiveDefinition.parse(xml).placementXml();

    assertThat(placement)
        .startsWith("<xcm:placement xmlns:xcm=\"urn:xcm:placement\" version=\"1\">");
    assertThat(PlacementXml.parse(placement)).isEqualTo(PlacementRules.parse("restart high"));
  }

  @Test
  void whatAHandWroteWrongIsKeptForTheParserToRefuseWithoutBreakingTheDevices() throws Exception {
    LiveDefinition live =
        LiveDefinition.parse(
            withMetadata(
                "<xcm:placement xmlns:xcm='urn:xcm:placement' version='1' x='&quot;&lt;&amp;'>"
                    + "<![CDATA[<apart group='db'/>]]><!-- a comment --><?pi x?>"
                    + "<xcm:near group='a&amp;b'/></xcm:placement>"));

    assertThat(live.disks()).containsExactly("vda");
    assertThat(live.placementXml())
        .isEqualTo(
            "<xcm:placement xmlns:xcm=\"urn:xcm:placement\" version=\"1\""
                + " x=\"&quot;&lt;&amp;\">&lt;apart group='db'/&gt;<xcm:near"
                + " group=\"a&amp;b\"></xcm:near></xcm:placement>");
    assertThatThrownBy(() -> PlacementXml.parse(live.placementXml()))
        .isInstanceOf(RulesFormatException.class)
        .hasMessage("<placement>: attribute 'x' is not known");
  }

  @Test
  void placementMetadataAboveTheCapIsNotKeptButNamedWithItsLength() throws Exception {
    String group = "g".repeat(PlacementXml.MAX_CHARS);
    String element =
        "<xcm:placement xmlns:xcm=\"urn:xcm:placement\" version=\"1\"><xcm:apart group=\""
            + group
            + "\"></xcm:apart></xcm:placement>";

    LiveDefinition live = LiveDefinition.parse(withMetadata(element));

    assertThat(live.placementXml()).hasSizeLessThan(100);
    assertThat(live.disks()).containsExactly("vda");
    assertThatThrownBy(() -> PlacementXml.parse(live.placementXml()))
        .hasMessage("placement metadata is " + element.length() + " characters, above 16384");
    // Right at the cap it is kept whole.
    String fits =
        element.replace(
            group, "g".repeat(PlacementXml.MAX_CHARS - (element.length() - group.length())));
    assertThat(LiveDefinition.parse(withMetadata(fits)).placementXml()).isEqualTo(fits);
  }

  @Test
  void elementsNamedLikeDevicesInMetadataAreNoDevices() throws Exception {
    // Written with virsh by anyone who may: libvirt would fail the statistics of such a device,
    // and with them the domain's sample.
    LiveDefinition live =
        LiveDefinition.parse(
            withMetadata(
                "<x:disk xmlns:x='urn:x'><x:target dev='nope'/></x:disk>"
                    + "<interface><target dev='vnet9'/></interface>"));

    assertThat(live.disks()).containsExactly("vda");
    assertThat(live.interfaces()).isEmpty();
  }
}
