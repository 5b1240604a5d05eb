package xcm.agent.jmx;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import xcm.agent.libvirt.DomainStats;
import xcm.agent.sample.DomainSample;
import xcm.mbeans.DomainState;
import xcm.mbeans.placement.PlacementXml;

/** A domain's placement metadata as its MBean shows it: rules in text form, or why not. */
class DomainViewTest {

  private static DomainSample sample(String placementXml) {
    return new DomainSample(
        new DomainStats(
            "db01",
            "u-1",
            DomainState.RUNNING,
            1,
            true,
            1,
            1,
            1,
            0,
            0,
            0,
            0,
            0,
            0,
            0,
            0,
            0,
            placementXml,
            "0123456789abcdef0123456789abcdef",
            true),
        0,
        7);
  }

  @Test
  void readableMetadataIsShownAsRulesInTextForm() {
    DomainView view =
        new DomainView(
            "lab01",
            sample(
                "<xcm:placement xmlns:xcm=\"urn:xcm:placement\" version=\"1\"><xcm:apart"
                    + " group=\"db\"></xcm:apart><xcm:restart priority=\"high\"></xcm:restart>"
                    + "</xcm:placement>"));

    assertThat(view.getPlacement()).isEqualTo("apart db; restart high");
    assertThat(view.getPlacementError()).isEmpty();
    assertThat(view.getDefinitionDigest()).isEqualTo("0123456789abcdef0123456789abcdef");
    assertThat(view.isAutostart()).isTrue();
  }

  @Test
  void noMetadataIsNoRulesAndNoError() {
    DomainView view = new DomainView("lab01", sample(""));

    assertThat(view.getPlacement()).isEmpty();
    assertThat(view.getPlacementError()).isEmpty();
  }

  @Test
  void metadataThatCannotBeReadIsNoRulesWithTheReason() {
    DomainView view =
        new DomainView("lab01", sample("<placement version=\"1\"><near/></placement>"));

    assertThat(view.getPlacement()).isEmpty();
    assertThat(view.getPlacementError())
        .isEqualTo("<near> is not a placement rule (apart, together, host, pinned, restart)");

    view.update(sample(PlacementXml.unread(PlacementXml.tooLong(20_000))));
    assertThat(view.getPlacementError())
        .isEqualTo("placement metadata is 20000 characters, above 16384");

    view.update(sample("<placement version=\"1\"><pinned/></placement>"));
    assertThat(view.getPlacement()).isEqualTo("pinned");
    assertThat(view.getPlacementError()).isEmpty();
  }
}
