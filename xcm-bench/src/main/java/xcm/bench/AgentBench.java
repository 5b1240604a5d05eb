package xcm.bench;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Placeholder until the agent benchmark lands. */
@Command(name = "agent", description = "Agent scrape latency, Jolokia bulk read, RSS, CPU")
final class AgentBench implements Callable<Integer> {
  @Override
  public Integer call() {
    return 0;
  }
}
