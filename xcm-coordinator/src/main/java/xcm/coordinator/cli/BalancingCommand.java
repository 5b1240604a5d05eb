package xcm.coordinator.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import xcm.client.Endpoint;
import xcm.client.JolokiaException;
import xcm.client.Request;
import xcm.mbeans.Attributes;
import xcm.mbeans.BalancingMXBean;
import xcm.mbeans.ObjectNames;

/**
 * {@code ./xcm balancing}: continuous balancing's level, threshold, last round and recommendation;
 * {@code level}, {@code threshold}, {@code apply} and {@code round} through {@code
 * xcm:type=Balancing}.
 */
@Command(
    name = "balancing",
    mixinStandardHelpOptions = true,
    subcommands = {
      BalancingCommand.Level.class,
      BalancingCommand.Threshold.class,
      BalancingCommand.Apply.class,
      BalancingCommand.Round.class,
      BalancingCommand.Power.class,
      BalancingCommand.Wake.class
    },
    description =
        "Shows continuous balancing: the automation level, the migration threshold, the last"
            + " round's decision and, at level manual, the recommendation.")
final class BalancingCommand implements Callable<Integer> {
  @Mixin Connection connection;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    return Connection.run(
        spec,
        () -> {
          JsonNode view =
              connection
                  .open()
                  .send(
                      Request.read(
                          ObjectNames.balancing(),
                          Attributes.names(
                              BalancingMXBean.class,
                              BalancingMXBean::getAutomationLevel,
                              BalancingMXBean::getMigrationThreshold,
                              BalancingMXBean::getIntervalSeconds,
                              BalancingMXBean::getLastRound,
                              BalancingMXBean::getRecommendation,
                              BalancingMXBean::getPowerSaving)));
          out.print(render(view));
          return 0;
        });
  }

  static String render(JsonNode view) {
    StringBuilder out = new StringBuilder();
    out.append(
        String.format(
            Locale.ROOT,
            "level %s, threshold %d, a round every %s, power saving %s%n",
            view.path("AutomationLevel").asText(),
            view.path("MigrationThreshold").asInt(),
            Units.age(view.path("IntervalSeconds").asLong()),
            view.path("PowerSaving").asBoolean() ? "on" : "off"));
    JsonNode last = view.path("LastRound");
    if (last.path("at").asText().isEmpty()) {
      out.append("no round yet\n");
    } else {
      out.append(
          String.format(
              Locale.ROOT,
              "last round %s: %s — %s%n  imbalance %.4f, best gain %.6f, least gain %.6f%n",
              last.path("at").asText(),
              last.path("result").asText(),
              last.path("reason").asText(),
              last.path("imbalance").asDouble(),
              last.path("bestGain").asDouble(),
              last.path("minGain").asDouble()));
      moves(last.path("moves"), out);
    }
    JsonNode recommended = view.path("Recommendation");
    if (recommended.size() > 0) {
      out.append("recommendation (./xcm balancing apply runs it):\n");
      moves(recommended, out);
    }
    return out.toString();
  }

  private static void moves(JsonNode moves, StringBuilder out) {
    if (moves.size() == 0) {
      return;
    }
    Table table = new Table("DOMAIN", "FROM", "TO", "GAIN");
    for (JsonNode m : moves) {
      table.row(
          m.path("domain").asText(),
          m.path("from").asText(),
          m.path("to").asText(),
          String.format(
              Locale.ROOT,
              "%.6f",
              m.path("scoreBefore").asDouble() - m.path("scoreAfter").asDouble()));
    }
    out.append(table);
  }

  private static JsonNode exec(Endpoint coordinator, String operation, Object... args)
      throws JolokiaException, InterruptedException {
    return coordinator.send(Request.exec(ObjectNames.balancing(), operation, args));
  }

  @Command(
      name = "level",
      mixinStandardHelpOptions = true,
      description = "Sets the automation level: off, manual (recommend) or full (move).")
  static final class Level extends MBeanAction {
    @Parameters(index = "0", paramLabel = "LEVEL")
    String level;

    @Override
    String act(Endpoint coordinator) throws JolokiaException, InterruptedException {
      exec(coordinator, "changeLevel", level);
      return "automation level " + level.toLowerCase(Locale.ROOT);
    }
  }

  @Command(
      name = "threshold",
      mixinStandardHelpOptions = true,
      description = "Sets the migration threshold, 1 (conservative) to 5 (aggressive).")
  static final class Threshold extends MBeanAction {
    @Parameters(index = "0", paramLabel = "THRESHOLD")
    int threshold;

    @Override
    String act(Endpoint coordinator) throws JolokiaException, InterruptedException {
      exec(coordinator, "changeThreshold", threshold);
      return "migration threshold " + threshold;
    }
  }

  @Command(
      name = "apply",
      mixinStandardHelpOptions = true,
      description = "Runs the standing recommendation (level manual) if it still fits.")
  static final class Apply extends MBeanAction {
    @Override
    String act(Endpoint coordinator) throws JolokiaException, InterruptedException {
      return "started operation " + exec(coordinator, "applyRecommendation").asText();
    }
  }

  @Command(
      name = "power",
      mixinStandardHelpOptions = true,
      description = "Turns power saving on or off (it acts at level full).")
  static final class Power extends MBeanAction {
    @Parameters(index = "0", paramLabel = "on|off")
    String state;

    @Override
    String act(Endpoint coordinator) throws CliException, JolokiaException, InterruptedException {
      if (!state.equals("on") && !state.equals("off")) {
        throw new CliException("power saving is on or off, found: \"" + state + "\"");
      }
      exec(coordinator, "switchPowerSaving", state.equals("on"));
      return "power saving " + state;
    }
  }

  @Command(
      name = "wake",
      mixinStandardHelpOptions = true,
      description = "Powers a STANDBY host on; it is ACTIVE once its agent answers.")
  static final class Wake extends MBeanAction {
    @Parameters(index = "0", paramLabel = "HOST")
    String host;

    @Override
    String act(Endpoint coordinator) throws JolokiaException, InterruptedException {
      exec(coordinator, "wakeHost", host);
      return "waking " + host + ": ACTIVE once its agent answers";
    }
  }

  @Command(
      name = "round",
      mixinStandardHelpOptions = true,
      description = "Runs a round now, as the schedule would, and prints its decision.")
  static final class Round extends MBeanAction {
    @Override
    String act(Endpoint coordinator) throws JolokiaException, InterruptedException {
      return exec(coordinator, "runRound").asText();
    }
  }
}
