package xcm.coordinator.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import xcm.client.Endpoint;
import xcm.client.JolokiaException;
import xcm.client.Request;
import xcm.mbeans.ObjectNames;

/** The CLI's actions: each a call of {@code xcm:type=Operations}, followed until it ends. */
final class OperationCommands {
  private OperationCommands() {}

  /** What every action command shares: the connection, following, printing errors. */
  abstract static class Action implements Callable<Integer>, QuickPath.Command {
    @Mixin Connection connection;

    @Option(names = "--no-wait", description = "Return once the operation started")
    boolean noWait;

    @Spec CommandSpec spec;

    abstract int run(Endpoint coordinator, PrintWriter out)
        throws CliException, JolokiaException, InterruptedException;

    @Override
    public Integer call() {
      return call(CommandOutput.of(spec));
    }

    @Override
    public int call(CommandOutput output) {
      return Connection.run(output, () -> run(connection.open(), output.out()));
    }

    /** Prints the id and, unless --no-wait, follows the operation to its end. */
    int follow(Endpoint coordinator, PrintWriter out, String id, String what)
        throws CliException, JolokiaException {
      out.println("operation " + id + ": " + what);
      out.flush();
      return noWait ? 0 : Follow.until(coordinator, id, out, System.console() != null);
    }

    JsonNode operations(Endpoint coordinator, String operation, Object... args)
        throws JolokiaException, InterruptedException {
      return coordinator.send(Request.exec(ObjectNames.operations(), operation, args));
    }

    /** The plan of an operation the coordinator just started. */
    JsonNode plan(Endpoint coordinator, String id) throws JolokiaException, InterruptedException {
      return coordinator.send(Request.read(ObjectNames.operation(id), Follow.PLAN));
    }
  }

  @Command(
      name = "migrate",
      mixinStandardHelpOptions = true,
      description = "Migrates one domain live to another host.")
  static final class Migrate extends Action {
    @Parameters(index = "0", paramLabel = "DOMAIN")
    String domain;

    @Parameters(index = "1", paramLabel = "HOST", description = "destination host")
    String host;

    @Option(
        names = "--force",
        description = "Migrate even when that breaks the domain's hard placement rules (audited)")
    boolean force;

    @Override
    int run(Endpoint client, PrintWriter out)
        throws CliException, JolokiaException, InterruptedException {
      String id = operations(client, force ? "forceMigrate" : "migrate", domain, host).asText();
      return follow(client, out, id, "migrate " + domain + " to " + host);
    }
  }

  @Command(
      name = "balance",
      mixinStandardHelpOptions = true,
      description = "Plans a balance and runs it; with --dry-run only prints the plan.")
  static final class Balance extends Action {
    @Option(
        names = "--policy",
        defaultValue = "weighted",
        description = "weighted or domain-count, with parameters: domain-count,target=strict")
    String policy;

    @Option(names = "--dry-run", description = "Print the plan, move nothing")
    boolean dryRun;

    @Override
    int run(Endpoint client, PrintWriter out)
        throws CliException, JolokiaException, InterruptedException {
      if (dryRun) {
        out.print(Follow.plan(operations(client, "planBalance", policy)));
        return 0;
      }
      String id = operations(client, "balance", policy, false).asText();
      out.print(Follow.plan(plan(client, id)));
      return follow(client, out, id, "balance " + policy);
    }
  }

  @Command(
      name = "drain",
      mixinStandardHelpOptions = true,
      description =
          "Evacuates a host: DRAINING at once, its domains moved away, then MAINTENANCE; with"
              + " --dry-run only prints the plan.")
  static final class Drain extends Action {
    @Parameters(index = "0", paramLabel = "HOST")
    String host;

    @Option(names = "--dry-run", description = "Print the plan, move nothing")
    boolean dryRun;

    @Option(
        names = "--force",
        description = "Move the domains pinned by their rules as well (audited)")
    boolean force;

    @Override
    int run(Endpoint client, PrintWriter out)
        throws CliException, JolokiaException, InterruptedException {
      String id = operations(client, force ? "forceDrain" : "drain", host, dryRun).asText();
      out.print(Follow.plan(plan(client, id)));
      return dryRun ? 0 : follow(client, out, id, "drain " + host);
    }
  }

  @Command(
      name = "activate",
      mixinStandardHelpOptions = true,
      description = "Returns a host in MAINTENANCE to service.")
  static final class Activate extends Action {
    @Parameters(index = "0", paramLabel = "HOST")
    String host;

    @Override
    int run(Endpoint client, PrintWriter out)
        throws CliException, JolokiaException, InterruptedException {
      operations(client, "activate", host);
      out.println("host " + host + " is ACTIVE");
      return 0;
    }
  }

  @Command(
      name = "confirm-down",
      mixinStandardHelpOptions = true,
      description =
          "Confirms that a host which stopped answering is powered off, when its fence device"
              + " cannot: its domains restart on other hosts. Only say it when you know: a host"
              + " that still runs its domains would run them twice.")
  static final class ConfirmDown extends Action {
    @Parameters(index = "0", paramLabel = "HOST")
    String host;

    @Override
    int run(Endpoint client, PrintWriter out)
        throws CliException, JolokiaException, InterruptedException {
      operations(client, "confirmDown", host);
      out.println("host " + host + " is FAILED: its domains restart on other hosts");
      return 0;
    }
  }

  @Command(
      name = "cancel",
      mixinStandardHelpOptions = true,
      description = "Stops queuing further moves of an operation; moves in flight finish.")
  static final class Cancel extends Action {
    @Parameters(index = "0", paramLabel = "ID")
    String id;

    @Override
    int run(Endpoint client, PrintWriter out)
        throws CliException, JolokiaException, InterruptedException {
      operations(client, "cancel", id);
      return follow(client, out, id, "cancelling");
    }
  }
}
