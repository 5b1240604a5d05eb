package xcm.bench.faults;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * The faults of the trials: each round hits every process once, in random order, so that every kind
 * of fault is tried however few the trials. An agent is killed (SIGKILL) or cut off (SIGSTOP for
 * 0.5 to 3 s, then SIGCONT); the coordinator is killed. What is killed is started again.
 *
 * <p>Not thread-safe: one trial loop drives it.
 */
final class FaultInjector {
  static final String KILLED_COORDINATOR = "killed coordinator";
  static final String KILLED_AGENT = "killed agent";
  static final String CUT_OFF = "cut agent off";

  private final FaultCluster cluster;
  private final Random random;
  private final Deque<String> victims = new ArrayDeque<>();
  private final Map<String, Integer> kinds = new TreeMap<>();

  FaultInjector(FaultCluster cluster, Random random) {
    this.cluster = cluster;
    this.random = random;
  }

  /** Kills or stops the next process of the round; restarts or resumes it. Returns what it did. */
  String inject() throws IOException, InterruptedException {
    if (victims.isEmpty()) {
      List<String> names = cluster.names();
      Collections.shuffle(names, random);
      victims.addAll(names);
    }
    String victim = victims.remove();
    boolean agent = FaultAgents.HOSTS.contains(victim);
    if (agent && random.nextInt(4) == 0) {
      int millis = 500 + random.nextInt(2500);
      long pid = cluster.pid(victim);
      signal(pid, "STOP");
      Thread.sleep(millis);
      signal(pid, "CONT");
      kinds.merge(CUT_OFF, 1, Integer::sum);
      return "cut " + victim + " off for " + millis + " ms";
    }
    cluster.killAndRestart(victim);
    kinds.merge(agent ? KILLED_AGENT : KILLED_COORDINATOR, 1, Integer::sum);
    return "killed and restarted " + victim;
  }

  /** How many of each fault so far, by {@link #KILLED_COORDINATOR} and the other kinds. */
  Map<String, Integer> kinds() {
    return Map.copyOf(kinds);
  }

  private static void signal(long pid, String signal) throws IOException, InterruptedException {
    new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).start().waitFor();
  }
}
