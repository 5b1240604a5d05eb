package xcm.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What /proc says about a process and the machine: memory, CPU time, command line. */
public final class Procfs {
  private Procfs() {}

  /** A size in kB from /proc/PID/FILE: {@code status} VmRSS/VmHWM, {@code smaps_rollup} Pss. */
  public static long kb(long pid, String file, String field) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), file))) {
      if (line.startsWith(field)) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    throw new IllegalStateException("no " + field + " in /proc/" + pid + "/" + file);
  }

  /** User + system CPU of a process; /proc counts in clock ticks of 1/100 s on Linux. */
  public static double cpuSeconds(long pid) throws IOException {
    String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0;
  }

  public static long availableKb() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
      if (line.startsWith("MemAvailable:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    return Long.MAX_VALUE;
  }

  public static String commandLine(long pid) throws IOException {
    return Files.readString(Path.of("/proc", Long.toString(pid), "cmdline"))
        .replace('\0', ' ')
        .trim();
  }

  /** The machine's load averages over 1, 5 and 15 minutes, as /proc/loadavg gives them. */
  public static String loadAverage() throws IOException {
    String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
    return fields[0] + " " + fields[1] + " " + fields[2];
  }
}
