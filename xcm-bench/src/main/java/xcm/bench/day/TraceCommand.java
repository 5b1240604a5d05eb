package xcm.bench.day;

import java.io.IOException;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./xcm trace export}: a day trace from XCM's metrics in Prometheus, for the day bench. */
@Command(
    name = "trace",
    mixinStandardHelpOptions = true,
    subcommands = {TraceCommand.Export.class},
    description = "Day-bench traces (docs/continuous-balancing.md#the-trace-format).")
public final class TraceCommand implements Runnable {
  @Override
  public void run() {
    new picocli.CommandLine(this).usage(System.out);
  }

  @Command(
      name = "export",
      mixinStandardHelpOptions = true,
      description =
          "Writes a trace (CSV) of every VM's CPU and memory minute by minute over a time range,"
              + " from a Prometheus server that scrapes XCM's agents; replay it with ./xcm bench"
              + " day --trace FILE.")
  static final class Export implements Callable<Integer> {
    @Option(
        names = "--prometheus",
        required = true,
        paramLabel = "URL",
        description = "Prometheus's address, e.g. http://127.0.0.1:9090")
    URI prometheus;

    @Option(
        names = "--from",
        required = true,
        paramLabel = "TIME",
        description = "ISO-8601, e.g. 2026-12-01T00:00:00Z")
    String from;

    @Option(
        names = "--to",
        required = true,
        paramLabel = "TIME",
        description = "ISO-8601; at most 7 days after --from")
    String to;

    @Option(
        names = "--out",
        required = true,
        paramLabel = "FILE",
        description = "Where the trace goes")
    Path out;

    @Override
    public Integer call() throws IOException, InterruptedException {
      Instant start;
      Instant end;
      try {
        start = Instant.parse(from);
        end = Instant.parse(to);
      } catch (DateTimeParseException e) {
        System.err.println(
            "xcm trace export: --from and --to are ISO-8601 times like 2026-12-01T00:00:00Z: "
                + e.getMessage());
        return 2;
      }
      DayTrace trace;
      try {
        trace = new PrometheusTrace(prometheus).export(start, end);
      } catch (IllegalArgumentException | IOException e) {
        System.err.println("xcm trace export: " + e.getMessage());
        return 1;
      }
      try (Writer w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
        TraceCsv.write(trace, w);
      }
      System.out.printf(
          "%s: %d hosts, %d VMs, %d minutes%n",
          out, trace.hosts().size(), trace.vms().size(), trace.minutes());
      return 0;
    }
  }
}
