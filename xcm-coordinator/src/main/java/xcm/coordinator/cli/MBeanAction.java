package xcm.coordinator.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import xcm.client.Endpoint;
import xcm.client.JolokiaException;

/**
 * A subcommand that makes a call or two on one coordinator MBean and prints one answer: {@code
 * ./xcm hosts approve}, {@code ./xcm rules set} and the like.
 */
abstract class MBeanAction implements Callable<Integer> {
  @Mixin Connection connection;

  @Spec CommandSpec spec;

  /** Calls the coordinator; returns what to print. */
  abstract String act(Endpoint coordinator)
      throws CliException, JolokiaException, InterruptedException;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    return Connection.run(
        spec,
        () -> {
          out.println(act(connection.open()));
          return 0;
        });
  }
}
