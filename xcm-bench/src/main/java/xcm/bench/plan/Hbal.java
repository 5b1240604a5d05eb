package xcm.bench.plan;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Ganeti's {@code hbal} on a cluster in htools text ({@link HtoolsText}): balancing it, scoring a
 * placement, and reading its solution. hbal tells what it did only as text, so its output is parsed
 * here.
 *
 * <p>Thread-safe: immutable.
 */
final class Hbal {
  private static final Pattern MOVE =
      Pattern.compile("gnt-instance (?:migrate|failover)[^\\n]* -n (\\S+) (\\S+)");
  private static final Pattern FINAL_SCORE =
      Pattern.compile("Cluster score improved from ([0-9.]+) to ([0-9.]+)");
  private static final Pattern INITIAL_SCORE = Pattern.compile("Initial score: ([0-9.]+)");

  /** One numbered step of hbal's solution: " 12. vm7 h3 => h9 0.1234 a=...". */
  private static final Pattern STEP =
      Pattern.compile("(?m)^\\s*(\\d+)\\.\\s+(\\S+)\\s+(\\S+)\\s+=>\\s+(\\S+)\\s+([0-9.]+)");

  private final List<String> options;
  private final long timeoutSeconds;

  /**
   * @param options extra hbal arguments, space-separated, e.g. "-g 0.001"; "" for none
   * @param timeoutSeconds how long one balancing run may take
   */
  Hbal(String options, long timeoutSeconds) {
    this.options = options.isBlank() ? List.of() : Arrays.asList(options.trim().split("\\s+"));
    this.timeoutSeconds = timeoutSeconds;
  }

  long timeoutSeconds() {
    return timeoutSeconds;
  }

  /**
   * Balances the cluster, its solution in {@code out}: {@code hbal -t TEXT -U UTIL -C} with the
   * excluded domains, the extra options and at most {@code maxLength} moves when given.
   *
   * @param excluded domains hbal must leave alone, comma-separated; "" for none
   * @return hbal's exit status, or null when it did not end in time
   */
  Integer balance(Path text, Path util, String excluded, OptionalInt maxLength, Path out)
      throws IOException, InterruptedException {
    List<String> command =
        new ArrayList<>(List.of("hbal", "-t", text.toString(), "-U", util.toString(), "-C"));
    if (!excluded.isEmpty()) {
      command.add("--exclude-instances=" + excluded);
    }
    command.addAll(options);
    maxLength.ifPresent(n -> command.add("--max-length=" + n));
    return run(command, out, timeoutSeconds);
  }

  /** hbal's own score of a placement: with -e above any score it scores and stops. */
  static double score(Path text, Path util, Path out) throws IOException, InterruptedException {
    Integer status =
        run(List.of("hbal", "-t", text.toString(), "-U", util.toString(), "-e", "1e9"), out, 600);
    Matcher score = INITIAL_SCORE.matcher(Files.readString(out, StandardCharsets.UTF_8));
    return status != null && status == 0 && score.find()
        ? Double.parseDouble(score.group(1))
        : Double.NaN;
  }

  /** Applies every move of hbal's solution to {@code hostOf} (domain → host); returns how many. */
  static int applyMoves(String output, Map<String, String> hostOf) {
    Matcher move = MOVE.matcher(output);
    int moves = 0;
    while (move.find()) {
      hostOf.put(move.group(2), move.group(1));
      moves++;
    }
    return moves;
  }

  /** The score hbal says its solution reaches, or {@code otherwise} when it moved nothing. */
  static double finalScore(String output, double otherwise) {
    Matcher own = FINAL_SCORE.matcher(output);
    return own.find() ? Double.parseDouble(own.group(2)) : otherwise;
  }

  /**
   * Applies the first {@code steps} steps of hbal's solution to {@code hostOf}; returns hbal's
   * score after the last of them, or {@code before} when there is none.
   */
  static double applySteps(String output, int steps, Map<String, String> hostOf, double before) {
    double score = before;
    Matcher step = STEP.matcher(output);
    while (step.find() && Integer.parseInt(step.group(1)) <= steps) {
      hostOf.put(step.group(2), step.group(4));
      score = Double.parseDouble(step.group(5));
    }
    return score;
  }

  /** Runs a command with its output in a file; its exit status, or null if it timed out. */
  private static Integer run(List<String> command, Path out, long timeoutSeconds)
      throws IOException, InterruptedException {
    Process process =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
    if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
      return null;
    }
    return process.exitValue();
  }
}
