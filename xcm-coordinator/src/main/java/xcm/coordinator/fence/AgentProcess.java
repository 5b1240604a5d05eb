package xcm.coordinator.fence;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs one fence agent: no arguments (argv is visible to every user of the machine, stdin is not),
 * a minimal environment, the options on its standard input, its output kept in an {@link
 * OutputTail}; on timeout it is killed with every process it started.
 */
final class AgentProcess {
  /** How long the output may still flow after the agent exits (a child may hold the pipe). */
  private static final long OUTPUT_GRACE_MILLIS = 1000;

  private AgentProcess() {}

  /** The agent outlived its timeout and was killed with its descendants. */
  static final class TimedOut extends Exception {
    private static final long serialVersionUID = 1L;
    final int descendantsKilled;

    TimedOut(int descendantsKilled) {
      super("timed out", null, false, false);
      this.descendantsKilled = descendantsKilled;
    }
  }

  /**
   * Runs {@code program} to its end.
   *
   * @return its exit code
   * @throws IOException when it cannot be started
   * @throws TimedOut when it ran longer than {@code timeout}
   * @throws InterruptedException when the calling thread was interrupted; the agent is killed
   */
  static int run(Path program, byte[] input, Duration timeout, OutputTail output)
      throws IOException, TimedOut, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(program.toString());
    Map<String, String> environment = builder.environment();
    environment.clear();
    environment.put("PATH", FenceDevice.searchPath());
    environment.put("LANG", "C");
    Process process = builder.directory(new File("/")).redirectErrorStream(true).start();
    Thread reader = daemon("fence-output-" + process.pid(), () -> drain(process, output));
    Thread writer = daemon("fence-input-" + process.pid(), () -> feed(process, input));
    reader.start();
    writer.start();
    boolean ended;
    try {
      ended = process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      killTree(process);
      throw e;
    }
    if (!ended) {
      int killed = killTree(process);
      reader.join(OUTPUT_GRACE_MILLIS);
      throw new TimedOut(killed);
    }
    reader.join(OUTPUT_GRACE_MILLIS);
    return process.exitValue();
  }

  private static Thread daemon(String name, Runnable task) {
    Thread thread = new Thread(task, name);
    thread.setDaemon(true);
    return thread;
  }

  private static void drain(Process process, OutputTail output) {
    byte[] buffer = new byte[4096];
    try (InputStream in = process.getInputStream()) {
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        output.append(buffer, 0, n);
      }
    } catch (IOException closed) {
      // The agent is gone; what it printed so far is kept.
    }
  }

  private static void feed(Process process, byte[] input) {
    try (OutputStream in = process.getOutputStream()) {
      in.write(input);
    } catch (IOException agentStoppedReading) {
      // Its exit code and output tell what went wrong.
    }
  }

  /**
   * Kills the agent and its descendants. The snapshot is taken first: once the agent is dead its
   * children belong to init and are no longer found through it. Each one's own children are looked
   * up before it dies, for the same reason.
   *
   * @return how many descendants were killed
   */
  private static int killTree(Process process) throws InterruptedException {
    List<ProcessHandle> descendants = new ArrayList<>(process.descendants().toList());
    process.destroyForcibly();
    for (int i = 0; i < descendants.size(); i++) {
      ProcessHandle descendant = descendants.get(i);
      descendant.children().filter(child -> !descendants.contains(child)).forEach(descendants::add);
      descendant.destroyForcibly();
    }
    process.waitFor(5, TimeUnit.SECONDS);
    return descendants.size();
  }
}
