package xcm.coordinator.plan;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./xcm plan}: reads a snapshot file, plans a balance or a drain, prints it.
 *
 * <pre>
 * ./xcm plan --snapshot cluster.json --policy domain-count
 * ./xcm plan --snapshot cluster.json --drain h3 --json
 * </pre>
 *
 * Exit status: 0 with a plan, 2 for bad input (file, JSON, policy, parameter, host), 3 when a drain
 * is refused because its domains do not fit. Errors are one line on stderr, no stack trace.
 */
@Command(
    name = "xcm plan",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = "Plans a balance or a drain for a cluster snapshot file and prints the plan.")
public final class PlanMain implements Callable<Integer> {
  static final int BAD_INPUT = 2;
  static final int REFUSED = 3;

  @Option(names = "--snapshot", paramLabel = "FILE", description = "Cluster snapshot JSON.")
  Path snapshot;

  @Option(
      names = "--policy",
      paramLabel = "NAME",
      description =
          "Balance policy: domain-count, weighted or a plugin's (default: ${DEFAULT-VALUE}).",
      defaultValue = WeightedPolicy.NAME)
  String policy;

  @Option(
      names = "--drain",
      paramLabel = "HOST",
      description = "Plan the evacuation of HOST instead.")
  String drain;

  @Option(
      names = "--strategy",
      paramLabel = "NAME",
      description = "Drain strategy: best-fit or paper (default: ${DEFAULT-VALUE}).",
      defaultValue = "best-fit")
  String strategy;

  @Option(
      names = {"-P", "--param"},
      paramLabel = "KEY=VALUE",
      description =
          "Policy parameter, repeatable, e.g. target=strict, minGain=0.001, maxMoves=100;"
              + " for a drain the weights memory, cpu, vcpu.")
  Map<String, String> parameters = new LinkedHashMap<>();

  @Option(
      names = "--cooldown",
      paramLabel = "SECONDS",
      description = "Domains moved fewer seconds ago stay put (default: ${DEFAULT-VALUE}).",
      defaultValue = "" + PlanOptions.DEFAULT_COOLDOWN_SECONDS)
  long cooldownSeconds;

  @Option(names = "--json", description = "Print the plan as JSON.")
  boolean json;

  @Option(names = "--list-policies", description = "List the installed balance policies and exit.")
  boolean listPolicies;

  @Spec CommandSpec spec;

  private final PrintWriter out;
  private final PrintWriter err;

  PlanMain(PrintWriter out, PrintWriter err) {
    this.out = out;
    this.err = err;
  }

  public static void main(String[] args) {
    PrintWriter out = new PrintWriter(System.out, true);
    PrintWriter err = new PrintWriter(System.err, true);
    System.exit(run(args, out, err));
  }

  /** Runs the command with its output on the given writers; returns the exit status. */
  static int run(String[] args, PrintWriter out, PrintWriter err) {
    CommandLine line = new CommandLine(new PlanMain(out, err));
    line.setOut(out);
    line.setErr(err);
    int status = line.execute(args);
    out.flush();
    err.flush();
    return status;
  }

  @Override
  public Integer call() {
    Planner planner = new Planner(BalancePolicies.installed(PlanMain.class.getClassLoader()));
    if (listPolicies) {
      planner.policies().all().forEach(p -> out.println(p.name() + "  " + p.description()));
      return 0;
    }
    try {
      if (snapshot == null) {
        throw new PlanRequestException("--snapshot FILE is required");
      }
      boolean policyGiven = spec.commandLine().getParseResult().hasMatchedOption("--policy");
      boolean strategyGiven = spec.commandLine().getParseResult().hasMatchedOption("--strategy");
      if (drain != null && policyGiven) {
        throw new PlanRequestException("--policy and --drain exclude each other: choose one");
      }
      if (drain == null && strategyGiven) {
        throw new PlanRequestException("--strategy applies to --drain only");
      }
      if (cooldownSeconds < 0) {
        throw new PlanRequestException(
            "--cooldown must not be negative, found: " + cooldownSeconds);
      }
      ClusterSnapshot cluster = readSnapshot();
      PlanOptions options = new PlanOptions(cooldownSeconds);
      long start = System.nanoTime();
      Plan plan;
      if (drain != null) {
        PolicyParameters drainParameters = new PolicyParameters("drain", parameters);
        Weights weights = WeightedPolicy.weights(drainParameters);
        drainParameters.rejectOthers();
        plan = DrainPlanner.plan(cluster, drain, DrainStrategy.of(strategy), weights, options);
        PlanVerifier.replay(cluster, plan, options);
      } else {
        plan = planner.balance(cluster, policy, parameters, options);
      }
      OptionalDouble millis = OptionalDouble.of((System.nanoTime() - start) / 1e6);
      out.print(json ? PlanJson.write(plan, millis) : PlanTable.render(plan, millis));
      return 0;
    } catch (SnapshotException | PlanRequestException e) {
      err.println("xcm plan: " + e.getMessage());
      return BAD_INPUT;
    } catch (PlacementException e) {
      err.println("xcm plan: " + e.getMessage());
      return REFUSED;
    }
  }

  private ClusterSnapshot readSnapshot() {
    try (InputStream in = Files.newInputStream(snapshot)) {
      return SnapshotJson.read(in);
    } catch (NoSuchFileException e) {
      throw new PlanRequestException("snapshot file " + snapshot + " does not exist");
    } catch (IOException e) {
      throw new PlanRequestException(
          "snapshot file " + snapshot + " cannot be read: " + e.getMessage());
    }
  }
}
