package xcm.coordinator.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
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
import xcm.mbeans.Attributes;
import xcm.mbeans.ClusterHostMXBean;
import xcm.mbeans.ObjectNames;
import xcm.mbeans.RulesMXBean;

/**
 * {@code ./xcm rules}: every placement rule of the cluster and whether it holds; {@code show},
 * {@code set} and {@code clear} one VM's rules through {@code xcm:type=Rules}.
 */
@Command(
    name = "rules",
    mixinStandardHelpOptions = true,
    subcommands = {RulesCommand.Show.class, RulesCommand.Set.class, RulesCommand.Clear.class},
    description =
        "Lists the placement rules of the cluster's VMs, their members and whether they hold now.")
final class RulesCommand implements Callable<Integer> {
  @Mixin Connection connection;

  @Spec CommandSpec spec;

  @Option(names = "--broken", description = "Only the rules broken now")
  boolean broken;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    return Connection.run(
        spec,
        () -> {
          JsonNode rules =
              connection
                  .open()
                  .send(
                      Request.read(
                          ObjectNames.rules(),
                          Attributes.name(RulesMXBean.class, RulesMXBean::getRules)));
          out.print(render(rules, broken));
          return 0;
        });
  }

  static String render(JsonNode rules, boolean brokenOnly) {
    Table table = new Table("RULE", "STRENGTH", "MEMBERS", "HOLDS", "WHY");
    int shown = 0;
    for (JsonNode rule : rules) {
      boolean holds = rule.path("satisfied").asBoolean();
      if (brokenOnly && holds) {
        continue;
      }
      List<String> members = new ArrayList<>();
      rule.path("members").forEach(m -> members.add(m.asText()));
      table.row(
          rule.path("rule").asText(),
          rule.path("strength").asText(),
          String.join(",", members),
          holds ? "yes" : "NO",
          rule.path("reason").asText());
      shown++;
    }
    if (shown == 0) {
      return brokenOnly ? "every rule holds\n" : "no VM has placement rules\n";
    }
    return table.toString();
  }

  /** What show, set and clear share: one exec of {@code xcm:type=Rules} for a VM. */
  abstract static class RulesAction extends MBeanAction {
    @Parameters(index = "0", paramLabel = "VM")
    String domain;

    JsonNode rules(Endpoint coordinator, String operation, Object... args)
        throws JolokiaException, InterruptedException {
      return coordinator.send(Request.exec(ObjectNames.rules(), operation, args));
    }
  }

  /** Reads the detailed views, as the monitor may: no operation is called. */
  @Command(name = "show", mixinStandardHelpOptions = true, description = "Prints a VM's rules.")
  static final class Show extends RulesAction {
    @Override
    String act(Endpoint coordinator) throws CliException, JolokiaException, InterruptedException {
      JsonNode views =
          coordinator.send(
              Request.read(
                  ObjectNames.allClusterHosts(),
                  Attributes.name(ClusterHostMXBean.class, ClusterHostMXBean::getDomains)));
      for (JsonNode view : views) {
        for (JsonNode d : view.path("Domains")) {
          if (d.path("name").asText().equals(domain)) {
            String error = d.path("rulesError").asText();
            String rules = d.path("rules").asText();
            if (!error.isEmpty()) {
              return domain + ": its placement metadata cannot be read: " + error;
            }
            return rules.isEmpty() ? domain + " has no placement rules" : rules;
          }
        }
      }
      throw new CliException("unknown domain '" + domain + "': it is on no host of the cluster");
    }
  }

  @Command(
      name = "set",
      mixinStandardHelpOptions = true,
      description = {
        "Sets a VM's rules, replacing those it has, in its libvirt metadata (live and persistent).",
        "RULES are clauses separated by ';': apart GROUP [soft], together GROUP [soft],"
            + " on k=v[,k=v], not-on k=v, prefer k=v, avoid k=v, pinned,"
            + " restart high|medium|low|never.",
        "Example: ./xcm rules set db1 'apart db; on rack=r1,ssd=true'"
      })
  static final class Set extends RulesAction {
    @Parameters(index = "1", paramLabel = "RULES")
    String text;

    @Override
    String act(Endpoint coordinator) throws JolokiaException, InterruptedException {
      rules(coordinator, "setRules", domain, text);
      return "rules of " + domain + ": " + rules(coordinator, "domainRules", domain).asText();
    }
  }

  @Command(
      name = "clear",
      mixinStandardHelpOptions = true,
      description = "Removes every rule of a VM.")
  static final class Clear extends RulesAction {
    @Override
    String act(Endpoint coordinator) throws JolokiaException, InterruptedException {
      rules(coordinator, "clearRules", domain);
      return domain + " has no placement rules";
    }
  }
}
