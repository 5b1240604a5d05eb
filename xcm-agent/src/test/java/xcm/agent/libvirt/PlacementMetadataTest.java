package xcm.agent.libvirt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.libvirt.Domain;
import org.libvirt.LibvirtException;
import xcm.agent.Fixtures;
import xcm.mbeans.placement.PlacementRules;
import xcm.mbeans.placement.PlacementXml;
import xcm.mbeans.placement.RulesFormatException;

/**
 * Placement metadata on libvirt's test driver, looked at the way {@code virsh metadata} does
 * (virDomainGetMetadata, live or persistent definition) and written by hand the way someone with
 * virsh can (virDomainSetMetadata): one connection for all, as the test driver keeps a node per
 * connection.
 */
class PlacementMetadataTest {
  private static final int LIVE = Domain.ModificationImpact.LIVE;
  private static final int CONFIG = Domain.ModificationImpact.CONFIG;
  private static final PlacementRules RULES =
      PlacementRules.parse("apart db; together app soft; not-on zone=b; restart high");

  private LibvirtConnection connection;
  private HostReader reader;
  private DomainPlacement placement;

  @BeforeEach
  void open() throws HypervisorException {
    connection = LibvirtConnection.open(Fixtures.LAB01);
    reader = new HostReader(connection);
    placement = new DomainPlacement(connection);
  }

  @AfterEach
  void close() {
    connection.close();
  }

  /** What {@code virsh metadata DOMAIN --uri urn:xcm:placement [--live|--config]} prints. */
  private String metadata(String name, int flags) throws HypervisorException {
    return connection.onDomain(
        name,
        "read the metadata of",
        domain -> domain.getMetadata(Domain.MetadataType.ELEMENT, PlacementXml.NAMESPACE, flags));
  }

  /** What {@code virsh metadata DOMAIN --uri urn:xcm:placement --key xcm --set XML} does. */
  private void writeByHand(String name, String xml, int flags) throws HypervisorException {
    connection.onDomain(
        name,
        "write the metadata of",
        domain -> {
          domain.setMetadata(
              Domain.MetadataType.ELEMENT, xml, PlacementXml.PREFIX, PlacementXml.NAMESPACE, flags);
          return null;
        });
  }

  private Map<String, DomainStats> domains() throws HypervisorException {
    return reader.readDomains().stream()
        .map(DomainStats.class::cast)
        .collect(Collectors.toMap(DomainStats::name, Function.identity()));
  }

  @Test
  void rulesAreWrittenIntoTheLiveAndThePersistentDefinitionOfARunningDomain()
      throws HypervisorException {
    placement.setPlacement("web01", RULES);

    assertThat(PlacementXml.parse(metadata("web01", LIVE))).isEqualTo(RULES);
    assertThat(PlacementXml.parse(metadata("web01", CONFIG))).isEqualTo(RULES);
    assertThat(metadata("web01", LIVE)).startsWith("<placement version=\"1\">");
  }

  @Test
  void rulesOfAShutOffDomainAreWrittenIntoItsPersistentDefinition() throws HypervisorException {
    placement.setPlacement("off01", RULES);

    assertThat(PlacementXml.parse(metadata("off01", CONFIG))).isEqualTo(RULES);
    assertThat(PlacementXml.parse(metadata("off01", 0))).isEqualTo(RULES);
  }

  @Test
  void emptyRulesRemoveTheElementFromBothDefinitions() throws HypervisorException {
    placement.setPlacement("web01", RULES);

    placement.setPlacement("web01", PlacementRules.NONE);

    for (int flags : new int[] {LIVE, CONFIG}) {
      assertThatThrownBy(() -> metadata("web01", flags))
          .isInstanceOfSatisfying(
              HypervisorException.class,
              e ->
                  assertThat(((LibvirtException) e.getCause()).getError().getCode())
                      .isEqualTo(org.libvirt.Error.ErrorNumber.VIR_ERR_NO_DOMAIN_METADATA));
    }
  }

  @Test
  void metadataWrittenByHandIsReadTheSameWayWhetherTheDomainRunsOrNot() throws HypervisorException {
    String xml = "<placement version='1'><apart group='db'/><pinned/></placement>";
    writeByHand("web01", xml, LIVE | CONFIG);
    writeByHand("off01", xml, CONFIG);

    Map<String, DomainStats> domains = domains();

    PlacementRules expected = PlacementRules.parse("apart db; pinned");
    assertThat(PlacementXml.parse(domains.get("web01").placementXml())).isEqualTo(expected);
    assertThat(PlacementXml.parse(domains.get("off01").placementXml())).isEqualTo(expected);
  }

  @Test
  void metadataWrittenWrongByHandIsThatDomainsErrorAndEveryDomainIsStillRead()
      throws HypervisorException {
    String huge = "<placement version='1'><apart group='" + "x".repeat(20_000) + "'/></placement>";
    writeByHand("web01", "<placement version='2'><apart group='db'/></placement>", LIVE);
    writeByHand("paused01", huge, LIVE | CONFIG);
    writeByHand("off01", huge, CONFIG);

    Map<String, DomainStats> domains = domains();

    assertThat(domains).containsOnlyKeys("web01", "db01", "web,01=\"x\":y", "paused01", "off01");
    assertThatThrownBy(() -> PlacementXml.parse(domains.get("web01").placementXml()))
        .isInstanceOf(RulesFormatException.class)
        .hasMessage("placement metadata version '2': this XCM reads version 1");
    for (String name : new String[] {"paused01", "off01"}) {
      String kept = domains.get(name).placementXml();
      assertThat(kept).as(name).hasSizeLessThan(100);
      assertThatThrownBy(() -> PlacementXml.parse(kept))
          .as(name)
          .isInstanceOf(RulesFormatException.class)
          .hasMessageMatching("placement metadata is 2\\d{4} characters, above 16384");
    }
    assertThat(domains.get("db01").placementXml()).isEmpty();
    assertThat(domains.get("paused01").memoryBytes()).isPositive();
  }
}
