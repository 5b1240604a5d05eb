package xcm.testkit.libvirt;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.LongSupplier;
import xcm.agent.libvirt.DomainReading;
import xcm.agent.libvirt.DomainStats;

/**
 * CPU load a test can set on libvirt's test driver, whose domains otherwise report their CPU time
 * as the wall clock (each one CPU busy). A properties file beside the host's state file ({@code
 * STATE.load}, present when the agent starts) gives a domain's busy fraction of its vCPUs, {@code
 * NAME=0.8}, and {@code *=F} every other domain's; a domain it gives a fraction then reports CPU
 * time growing at that rate from the first reading on. Without the file, or for a domain it does
 * not name, the driver's time passes through. The file is read at every reading, so a test changes
 * the load by rewriting it.
 *
 * <p>Thread-safe: readings are serialised.
 */
final class DriverLoad {
  private final Path file;
  private final LongSupplier nanos;
  private final Map<String, long[]> clocks = new HashMap<>();

  DriverLoad(Path file, LongSupplier nanos) {
    this.file = file;
    this.nanos = nanos;
  }

  /** The file beside a state file. */
  static Path beside(Path state) {
    return state.resolveSibling(state.getFileName() + ".load");
  }

  /** The readings with each loaded domain's CPU time replaced. */
  synchronized List<DomainReading> apply(List<DomainReading> readings) {
    Properties load = load();
    if (load == null) {
      return readings;
    }
    long now = nanos.getAsLong();
    List<DomainReading> out = new ArrayList<>(readings.size());
    for (DomainReading reading : readings) {
      String fraction = load.getProperty(reading.name(), load.getProperty("*"));
      if (fraction == null || !(reading instanceof DomainStats s) || !s.active()) {
        out.add(reading);
        continue;
      }
      double busy = Math.max(0, Math.min(1, Double.parseDouble(fraction.trim())));
      // [last reading's time, CPU time so far]
      long[] clock = clocks.computeIfAbsent(s.uuid(), k -> new long[] {now, 0});
      clock[1] += (long) ((now - clock[0]) * busy * s.vcpus());
      clock[0] = now;
      out.add(
          new DomainStats(
              s.name(),
              s.uuid(),
              s.state(),
              s.id(),
              s.persistent(),
              s.memoryBytes(),
              s.maxMemoryBytes(),
              s.vcpus(),
              clock[1],
              s.blockReadBytes(),
              s.blockWriteBytes(),
              s.blockReadRequests(),
              s.blockWriteRequests(),
              s.networkReceiveBytes(),
              s.networkTransmitBytes(),
              s.networkReceivePackets(),
              s.networkTransmitPackets(),
              s.placementXml(),
              s.definitionDigest(),
              s.autostart()));
    }
    return out;
  }

  private Properties load() {
    Properties load = new Properties();
    try (Reader in = Files.newBufferedReader(file)) {
      load.load(in);
      return load;
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException | IllegalArgumentException e) {
      throw new IllegalStateException(
          "cannot read the test load file " + file + ": " + e.getMessage(), e);
    }
  }
}
