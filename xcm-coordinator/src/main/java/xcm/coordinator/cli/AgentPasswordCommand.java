package xcm.coordinator.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import xcm.coordinator.collect.AgentCredentials;

/**
 * {@code ./xcm agent-password --url URL --master-file FILE}: prints the cluster password of the
 * agent at URL, as a coordinator with {@code xcm.coordinator.agent.password-derivation=url-hmac}
 * and that master secret derives it, for the agent's {@code xcm.agent.jolokia.password-file}. Needs
 * no coordinator. Exit code 2 on bad input.
 */
@Command(
    name = "agent-password",
    mixinStandardHelpOptions = true,
    description = {
      "Prints the cluster password of one agent, derived from its Jolokia URL under the"
          + " coordinator's master secret (xcm.coordinator.agent.password-derivation=url-hmac),"
          + " for the agent's --jolokia-password-file:",
      "  ./xcm agent-password --url http://hv01:8778/jolokia/ --master-file /etc/xcm/agents.master"
          + " > hv01.password",
      "Give the URL the coordinator reaches the agent at (the one it registers or --agents lists);"
          + " an agent reached under two URLs has two passwords."
    })
final class AgentPasswordCommand implements Callable<Integer> {
  static final int BAD_INPUT = 2;

  @Option(
      names = "--url",
      required = true,
      paramLabel = "URL",
      description = "The agent's Jolokia URL, e.g. http://hv01.example.org:8778/jolokia/")
  String url;

  @Option(
      names = "--master-file",
      required = true,
      paramLabel = "FILE",
      description = "File holding the master secret (the coordinator's agent.password-file)")
  Path masterFile;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    String master;
    try {
      master = Files.readString(masterFile, StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      return fail(
          "cannot read the master secret file "
              + masterFile
              + ": "
              + (e instanceof NoSuchFileException ? "no such file" : e.getMessage()));
    }
    if (master.isEmpty()) {
      return fail("the master secret file " + masterFile + " is empty");
    }
    String password;
    try {
      password = AgentCredentials.derive(master, url);
    } catch (IllegalArgumentException e) {
      return fail(e.getMessage());
    }
    spec.commandLine().getOut().println(password);
    spec.commandLine().getOut().flush();
    return 0;
  }

  private int fail(String message) {
    spec.commandLine().getErr().println("xcm agent-password: " + message);
    spec.commandLine().getErr().flush();
    return BAD_INPUT;
  }
}
