package xcm.mbeans;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EpochFenceTest {
  private final List<Long> kept = new ArrayList<>();

  @Test
  void theSameOrANewerEpochIsAdmittedAndANewerOneKeptBeforeTheRequestGoesOn() {
    EpochFence fence = new EpochFence("dmz01", 2, kept::add);

    fence.admit(2, "start domain 'web01'");
    assertThat(kept).isEmpty();
    fence.admit(5, "start domain 'web01'");
    fence.admit(5, "destroy domain 'web01'");

    assertThat(kept).containsExactly(5L);
    assertThat(fence.newest()).isEqualTo(5);
  }

  @Test
  void anOlderEpochIsRefusedNamingHostRequestBothEpochsAndWhy() {
    EpochFence fence = new EpochFence("dmz01", 0, kept::add);
    fence.admit(4, "start domain 'web01'");

    assertThatThrownBy(() -> fence.admit(3, "destroy domain 'web01'"))
        .isInstanceOf(StaleEpochException.class)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "dmz01: cannot destroy domain 'web01': the request carries coordinator epoch 3, older"
                + " than epoch 4, the newest this agent has seen: it comes from a coordinator that"
                + " is no longer the active one; nothing was done");
    assertThat(fence.newest()).isEqualTo(4);
    assertThat(kept).containsExactly(4L);
  }

  @Test
  void anEpochBelowOneIsRefusedAsNoneACoordinatorSends() {
    EpochFence fence = new EpochFence("dmz01", 0, kept::add);

    assertThatThrownBy(() -> fence.admit(0, "define a domain"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(
            "dmz01: cannot define a domain: coordinator epoch 0 is none a coordinator sends");
    assertThatThrownBy(() -> fence.admit(-7, "define a domain"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(fence.newest()).isZero();
    assertThat(kept).isEmpty();
  }

  @Test
  void anEpochThatCannotBeKeptIsRefusedButStillFencesOlderOnesAndIsKeptLater() {
    boolean[] broken = {true};
    EpochFence fence =
        new EpochFence(
            "dmz01",
            1,
            epoch -> {
              if (broken[0]) {
                throw new IllegalStateException("dmz01: disk full");
              }
              kept.add(epoch);
            });

    assertThatThrownBy(() -> fence.admit(2, "start domain 'web01'"))
        .isExactlyInstanceOf(IllegalStateException.class)
        .hasMessage("dmz01: disk full");
    assertThatThrownBy(() -> fence.admit(1, "start domain 'web01'"))
        .isInstanceOf(StaleEpochException.class);

    broken[0] = false;
    fence.admit(2, "start domain 'web01'");
    assertThat(kept).containsExactly(2L);
  }
}
