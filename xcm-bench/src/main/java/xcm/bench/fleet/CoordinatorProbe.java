package xcm.bench.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.ObjectName;
import xcm.client.Endpoint;
import xcm.client.JolokiaException;
import xcm.client.Request;

/**
 * What a coordinator's JVM says of its heap after a full GC: {@code jcmd PID GC.run} (which is
 * {@code System.gc()}: a full collection; the coordinator's Jolokia policy forbids {@code
 * java.lang:type=Memory gc()}), then the heap in use as its own Jolokia reads {@code
 * java.lang:type=Memory HeapMemoryUsage}, or, where that read is refused, as {@code jcmd PID
 * GC.heap_info} sums its generations. Measured, never estimated.
 *
 * <p>Thread-safe.
 */
final class CoordinatorProbe {
  private static final ObjectName MEMORY = ManagementFactory.getMemoryMXBean().getObjectName();

  /** A generation's (or G1's whole heap's) line of {@code GC.heap_info}. */
  private static final Pattern SPACE =
      Pattern.compile("^ *(?:\\S+ )+ *total (\\d+)K, used (\\d+)K", Pattern.MULTILINE);

  private final Endpoint coordinator;

  CoordinatorProbe(Endpoint coordinator) {
    this.coordinator = coordinator;
  }

  /** Heap in use after a full GC, the heap's maximum (or -1), and how it was read. */
  record Heap(long usedBytes, long maxBytes, String how) {
    @Override
    public String toString() {
      return String.format(
          "%.0f MB%s (%s)",
          usedBytes / 1048576.0,
          maxBytes > 0 ? String.format(" of -Xmx %.0f MB", maxBytes / 1048576.0) : "",
          how);
    }
  }

  /** Runs a full GC in the coordinator, then reads the heap. */
  Heap heapAfterFullGc(long pid) throws IOException, InterruptedException {
    run(pid, "GC.run");
    try {
      JsonNode usage = coordinator.send(Request.read(MEMORY, "HeapMemoryUsage"));
      return new Heap(
          usage.path("used").asLong(),
          usage.path("max").asLong(-1),
          "jcmd GC.run, then HeapMemoryUsage through its Jolokia");
    } catch (JolokiaException e) {
      String info = run(pid, "GC.heap_info");
      Matcher m = SPACE.matcher(info);
      long usedKb = 0;
      while (m.find()) {
        usedKb += Long.parseLong(m.group(2));
      }
      if (usedKb == 0) {
        throw new IOException("jcmd " + pid + " GC.heap_info printed no heap in use: " + info);
      }
      return new Heap(usedKb * 1024, -1, "jcmd GC.run, GC.heap_info; " + e.getMessage());
    }
  }

  /**
   * The heap's classes by the bytes their live objects take ({@code jcmd PID GC.class_histogram},
   * which runs a full GC first): the header lines, then one line a class, largest first.
   */
  List<String> classHistogram(long pid) throws IOException, InterruptedException {
    List<String> lines = run(pid, "GC.class_histogram").lines().toList();
    // jcmd's first line is the PID it attached to.
    return lines.subList(Math.min(1, lines.size()), lines.size());
  }

  private static String run(long pid, String command) throws IOException, InterruptedException {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    Process p =
        new ProcessBuilder(List.of(jcmd.toString(), Long.toString(pid), command))
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(2, TimeUnit.MINUTES) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IOException("jcmd " + pid + " " + command + " failed: " + out);
    }
    return out;
  }
}
