package xcm.coordinator.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import picocli.CommandLine;

/**
 * One {@code ./xcm} command run in-process against a coordinator's Jolokia as a user, with the
 * password in a 0600 file, as an operator's shell would: its exit code and what it printed.
 */
public record CliRun(int exit, String out, String err) {

  /** Runs {@code args} with {@code --url}, {@code --user} and {@code --password-file} added. */
  public static CliRun as(String url, Path dir, String user, String password, String... args)
      throws IOException {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit =
        new CommandLine(new Cli())
            .setOut(new PrintWriter(out))
            .setErr(new PrintWriter(err))
            .execute(withConnection(url, dir, user, password, args));
    return new CliRun(exit, out.toString(), err.toString());
  }

  /**
   * As {@link #as}, parsed and run by {@link QuickPath} rather than picocli.
   *
   * @throws IllegalArgumentException when the quick path leaves {@code args} to picocli
   */
  static CliRun quick(String url, Path dir, String user, String password, String... args)
      throws IOException {
    QuickPath.Command command = QuickPath.parse(withConnection(url, dir, user, password, args));
    if (command == null) {
      throw new IllegalArgumentException("the quick path leaves " + String.join(" ", args));
    }
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit =
        command.call(
            new CommandOutput("xcm " + args[0], new PrintWriter(out), new PrintWriter(err)));
    return new CliRun(exit, out.toString(), err.toString());
  }

  private static String[] withConnection(
      String url, Path dir, String user, String password, String... args) throws IOException {
    Path file = dir.resolve(user + ".password");
    Files.writeString(file, password);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    String[] all = new String[args.length + 6];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--url";
    all[args.length + 1] = url;
    all[args.length + 2] = "--user";
    all[args.length + 3] = user;
    all[args.length + 4] = "--password-file";
    all[args.length + 5] = file.toString();
    return all;
  }
}
