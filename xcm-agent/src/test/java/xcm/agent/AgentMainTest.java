package xcm.agent;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class AgentMainTest {
  @Test
  void theLabelOptionRepeats() {
    AgentMain main = new AgentMain();

    new CommandLine(main).parseArgs("--label", "rack=r1", "--label", "ssd=true");

    assertThat(main.options()).containsEntry("xcm.agent.labels", "rack=r1,ssd=true");
  }
}
