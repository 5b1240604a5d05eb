package xcm.mbeans.placement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class HostLabelsTest {
  @Test
  void labelsAreReadSortedByKeyAndWrittenBack() {
    HostLabels labels = HostLabels.parse(" ssd=true , rack=r1,zone=eu-west-1a");

    assertThat(labels.asMap())
        .containsExactly(
            Map.entry("rack", "r1"), Map.entry("ssd", "true"), Map.entry("zone", "eu-west-1a"));
    assertThat(labels).hasToString("rack=r1,ssd=true,zone=eu-west-1a");
    assertThat(HostLabels.parse(labels.toString())).isEqualTo(labels);
    assertThat(HostLabels.parse("  ")).isEqualTo(HostLabels.NONE);
  }

  @Test
  void whatIsNotALabelIsRefusedNamingItAndTheReason() {
    assertThatThrownBy(() -> HostLabels.parse("rack"))
        .hasMessage("label 'rack' is not key=value (labels are separated by commas)");
    assertThatThrownBy(() -> HostLabels.parse("rack=r1,rack=r2"))
        .hasMessage("label key 'rack' is given twice");
    assertThatThrownBy(() -> HostLabels.parse("Rack=r1"))
        .hasMessage(
            "label key 'Rack' must be lower-case letters, digits and _, starting with a letter,"
                + " at most 63");
    assertThatThrownBy(() -> HostLabels.parse("host=dmz01"))
        .hasMessage("label key 'host' is taken: it is the host's name on every metric");
    for (String value : new String[] {"", "a,b", "a:b", "a\"b", "a\\\\b", "a/b", "é", "a b"}) {
      assertThatThrownBy(() -> new HostLabels(Map.of("rack", value)))
          .as(value)
          .hasMessageStartingWith("label rack: value '" + value + "' must be 1 to 63 letters");
    }
  }

  @Test
  void aHostHasAtMost32Labels() {
    StringBuilder many = new StringBuilder();
    for (int i = 0; i < 33; i++) {
      many.append(i == 0 ? "" : ",").append("k").append(i).append("=v");
    }

    assertThatThrownBy(() -> HostLabels.parse(many.toString()))
        .hasMessage("33 labels: at most 32 describe a host");
  }
}
