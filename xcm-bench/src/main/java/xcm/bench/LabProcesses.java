package xcm.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The lab's processes as {@code /proc} shows them: those {@code xcm-lab} recorded in its {@code
 * pids} file ({@code PID KIND HOST START}), and QEMU guests by mount namespace. A zombie counts as
 * gone, and a recorded PID counts only while it names the process that started then (PIDs are
 * reused). Thread-safe: stateless.
 */
final class LabProcesses {
  private static final Path PROC = Path.of("/proc");

  private LabProcesses() {}

  /** The recorded PIDs of {@code kind} for {@code host} that run now, oldest first. */
  static List<Long> running(Path labDir, String kind, String host) throws IOException {
    List<Long> pids = new ArrayList<>();
    Path file = labDir.resolve("pids");
    if (!Files.exists(file)) {
      return pids;
    }
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      String[] words = line.trim().split("\\s+");
      if (words.length >= 3 && words[1].equals(kind) && words[2].equals(host)) {
        long pid = Long.parseLong(words[0]);
        Optional<String[]> stat = stat(pid);
        if (stat.isPresent()
            && live(stat.get())
            && (words.length < 4 || stat.get()[19].equals(words[3]))) {
          pids.add(pid);
        }
      }
    }
    return pids;
  }

  /** The QEMU processes that run in one of the namespaces listed in {@code file}. */
  static List<Lab.Qemu> guests(Path namespacesFile) throws IOException {
    List<Lab.Qemu> guests = new ArrayList<>();
    if (!Files.exists(namespacesFile)) {
      return guests;
    }
    Set<String> namespaces =
        new HashSet<>(Files.readAllLines(namespacesFile, StandardCharsets.UTF_8));
    try (DirectoryStream<Path> processes = Files.newDirectoryStream(PROC, "[0-9]*")) {
      for (Path process : processes) {
        guest(process, namespaces).ifPresent(guests::add);
      }
    }
    return guests;
  }

  private static Optional<Lab.Qemu> guest(Path process, Set<String> namespaces) {
    try {
      String namespace = Files.readSymbolicLink(process.resolve("ns/mnt")).toString();
      if (!namespaces.contains(namespace)) {
        return Optional.empty();
      }
      String[] args =
          new String(Files.readAllBytes(process.resolve("cmdline")), StandardCharsets.UTF_8)
              .split("\0");
      for (int i = 0; i + 1 < args.length; i++) {
        if (args[i].equals("-name") && args[i + 1].startsWith("guest=")) {
          String name = args[i + 1].substring("guest=".length()).split(",", 2)[0];
          long pid = Long.parseLong(process.getFileName().toString());
          return stat(pid)
              .filter(LabProcesses::live)
              .map(stat -> new Lab.Qemu(name, pid, namespace));
        }
      }
      return Optional.empty();
    } catch (IOException | UnsupportedOperationException e) {
      // Gone meanwhile, or a zombie (no namespace links): not running.
      return Optional.empty();
    }
  }

  /** The fields of /proc/PID/stat after the command name: [0] is the state, [19] the start time. */
  private static Optional<String[]> stat(long pid) {
    try {
      String stat = Files.readString(PROC.resolve(Long.toString(pid)).resolve("stat"));
      return Optional.of(stat.substring(stat.lastIndexOf(") ") + 2).trim().split(" "));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static boolean live(String[] stat) {
    return !(stat[0].equals("Z") || stat[0].equals("X") || stat[0].equals("x"));
  }
}
