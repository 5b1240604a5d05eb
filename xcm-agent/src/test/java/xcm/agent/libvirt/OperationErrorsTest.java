package xcm.agent.libvirt;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A refusal (IllegalArgumentException, IllegalStateException) exactly when nothing changed. */
class OperationErrorsTest {

  @Test
  void aChangeLibvirtAnsweredWithAnErrorIsARefusalForNow() {
    RuntimeException e =
        OperationErrors.ofChange(
            "lab01: cannot start domain 'web01': no memory",
            new HypervisorException("test:///lab01: no memory"));

    assertThat(e).isExactlyInstanceOf(IllegalStateException.class);
    assertThat(e).hasMessage("lab01: cannot start domain 'web01': no memory").hasNoCause();
  }

  @Test
  void aChangeWhoseConnectionWasLostMayHaveTakenEffectSoIsNoRefusal() {
    RuntimeException e =
        OperationErrors.ofChange(
            "lab01: cannot start domain 'web01': end of file",
            new HypervisorUnavailableException("test:///lab01: end of file", null));

    assertThat(e)
        .isNotInstanceOf(IllegalStateException.class)
        .isNotInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "lab01: cannot start domain 'web01': end of file (the connection to libvirt was lost"
                + " during the call: whether it took effect is unknown)")
        .hasNoCause();
    assertThat(OperationErrors.afterChange("lab02: half done"))
        .isNotInstanceOf(IllegalStateException.class)
        .isNotInstanceOf(IllegalArgumentException.class);
  }
}
