package xcm.bench.day;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The day bench's trace file, CSV (docs/continuous-balancing.md):
 *
 * <pre>
 * # xcm day trace v1
 * # host,NAME,CPUS,MEMORY_MIB
 * # vm,NAME,VCPUS,MEMORY_MIB,HOST
 * minute,vm,cpu,memory_mib
 * 0,web01,0.75,4096
 * </pre>
 *
 * <p>{@code cpu} is CPUs busy (0 to the VM's vCPUs); a minute a VM has no row keeps its last value
 * (0 and its listed memory before its first). Minutes start at 0. A bad line fails naming its
 * number and the reason.
 */
final class TraceCsv {
  static final String MAGIC = "# xcm day trace v1";
  private static final String COLUMNS = "minute,vm,cpu,memory_mib";
  private static final int MAX_MINUTES = 7 * 24 * 60;

  private TraceCsv() {}

  static void write(DayTrace trace, Writer out) throws IOException {
    out.write(MAGIC + "\n");
    for (DayTrace.Host h : trace.hosts()) {
      out.write("# host," + h.name() + "," + h.cpus() + "," + h.memoryMib() + "\n");
    }
    for (DayTrace.Vm vm : trace.vms()) {
      out.write(
          "# vm," + vm.name() + "," + vm.vcpus() + "," + vm.memoryMib() + "," + vm.host() + "\n");
    }
    out.write(COLUMNS + "\n");
    StringBuilder line = new StringBuilder();
    for (int m = 0; m < trace.minutes(); m++) {
      for (int v = 0; v < trace.vms().size(); v++) {
        line.setLength(0);
        line.append(m)
            .append(',')
            .append(trace.vms().get(v).name())
            .append(',')
            .append(String.format(Locale.ROOT, "%.3f", trace.cpu(m, v)))
            .append(',')
            .append(trace.memoryBytes(m, v) >> 20)
            .append('\n');
        out.write(line.toString());
      }
    }
  }

  static DayTrace read(BufferedReader in) throws IOException {
    List<DayTrace.Host> hosts = new ArrayList<>();
    List<DayTrace.Vm> vms = new ArrayList<>();
    Map<String, Integer> vmIndex = new HashMap<>();
    List<String[]> rows = new ArrayList<>();
    List<Integer> rowLines = new ArrayList<>();
    int maxMinute = -1;
    String text;
    int number = 0;
    boolean columns = false;
    while ((text = in.readLine()) != null) {
      number++;
      String line = text.strip();
      if (line.isEmpty()) {
        continue;
      }
      if (number == 1 && !line.equals(MAGIC)) {
        throw bad(number, "the first line must be \"" + MAGIC + "\"");
      }
      if (line.startsWith("#")) {
        String[] f = line.substring(1).strip().split(",", -1);
        if (f[0].equals("host")) {
          need(f, 4, number);
          hosts.add(new DayTrace.Host(f[1], integer(f[2], number), integer(f[3], number)));
        } else if (f[0].equals("vm")) {
          need(f, 5, number);
          vmIndex.put(f[1], vms.size());
          vms.add(new DayTrace.Vm(f[1], integer(f[2], number), integer(f[3], number), f[4]));
        }
        continue;
      }
      if (!columns) {
        if (!line.equals(COLUMNS)) {
          throw bad(number, "expected the column line \"" + COLUMNS + "\"");
        }
        columns = true;
        continue;
      }
      String[] f = line.split(",", -1);
      need(f, 4, number);
      int minute = integer(f[0], number);
      if (minute < 0 || minute >= MAX_MINUTES) {
        throw bad(number, "minute must be 0 to " + (MAX_MINUTES - 1) + ", found: " + minute);
      }
      if (!vmIndex.containsKey(f[1])) {
        throw bad(number, "VM \"" + f[1] + "\" is not listed in a \"# vm\" line");
      }
      maxMinute = Math.max(maxMinute, minute);
      rows.add(f);
      rowLines.add(number);
    }
    if (maxMinute < 0) {
      throw new IllegalArgumentException("the trace has no demand rows");
    }
    return fill(hosts, vms, vmIndex, rows, rowLines, maxMinute + 1);
  }

  private static DayTrace fill(
      List<DayTrace.Host> hosts,
      List<DayTrace.Vm> vms,
      Map<String, Integer> vmIndex,
      List<String[]> rows,
      List<Integer> rowLines,
      int minutes) {
    float[][] cpu = new float[minutes][vms.size()];
    float[][] memory = new float[minutes][vms.size()];
    boolean[][] given = new boolean[minutes][vms.size()];
    for (int r = 0; r < rows.size(); r++) {
      String[] f = rows.get(r);
      int line = rowLines.get(r);
      int m = Integer.parseInt(f[0]);
      int v = vmIndex.get(f[1]);
      double busy = number(f[2], line);
      if (!(busy >= 0) || busy > vms.get(v).vcpus()) {
        throw bad(
            line, "cpu must be 0 to the VM's " + vms.get(v).vcpus() + " vCPUs, found: " + busy);
      }
      cpu[m][v] = (float) busy;
      memory[m][v] = integer(f[3], line);
      given[m][v] = true;
    }
    for (int v = 0; v < vms.size(); v++) {
      float lastCpu = 0;
      float lastMemory = vms.get(v).memoryMib();
      for (int m = 0; m < minutes; m++) {
        if (given[m][v]) {
          lastCpu = cpu[m][v];
          lastMemory = memory[m][v];
        } else {
          cpu[m][v] = lastCpu;
          memory[m][v] = lastMemory;
        }
      }
    }
    return new DayTrace(hosts, vms, cpu, memory);
  }

  private static void need(String[] fields, int count, int line) {
    if (fields.length != count) {
      throw bad(line, "expected " + count + " comma-separated fields, found " + fields.length);
    }
  }

  private static int integer(String text, int line) {
    try {
      int value = Integer.parseInt(text.strip());
      if (value < 0) {
        throw bad(line, "expected a number >= 0, found: " + text);
      }
      return value;
    } catch (NumberFormatException e) {
      throw bad(line, "expected a whole number, found: \"" + text + "\"");
    }
  }

  private static double number(String text, int line) {
    try {
      return Double.parseDouble(text.strip());
    } catch (NumberFormatException e) {
      throw bad(line, "expected a number, found: \"" + text + "\"");
    }
  }

  private static IllegalArgumentException bad(int line, String reason) {
    return new IllegalArgumentException("trace line " + line + ": " + reason);
  }
}
