package xcm.it;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The Prometheus tools from Debian's packages that the tests run: found on the PATH, or the test
 * fails naming the package ({@code ./xcm test} installs them; a missing tool is never a skip).
 */
final class Tools {
  private Tools() {}

  /** What a finished command printed (stdout and stderr together) and its exit code. */
  record Result(int exitCode, String output) {}

  /** The absolute path of {@code binary}, or an AssertionError naming its Debian package. */
  static Path require(String binary, String debianPackage) {
    String path = System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
    for (String dir : path.split(File.pathSeparator)) {
      Path candidate = Path.of(dir, binary);
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    throw new AssertionError(
        binary
            + " is not installed: ./xcm test installs it (apt-get install --no-install-recommends "
            + debianPackage
            + ")");
  }

  /** Runs a command in the repository's root and waits for it. */
  static Result run(Duration timeout, String... command) throws IOException, InterruptedException {
    return run(timeout, new byte[0], command);
  }

  /** Runs a command with {@code input} on its standard input and waits for it. */
  static Result run(Duration timeout, byte[] input, String... command)
      throws IOException, InterruptedException {
    Process process =
        new ProcessBuilder(List.of(command))
            .directory(Jvm.ROOT.toFile())
            .redirectErrorStream(true)
            .start();
    byte[] out;
    try {
      try (var stdin = process.getOutputStream()) {
        stdin.write(input);
      }
      out = process.getInputStream().readAllBytes();
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new AssertionError(String.join(" ", command) + " did not end within " + timeout);
      }
    } finally {
      process.destroyForcibly();
    }
    return new Result(process.exitValue(), new String(out, StandardCharsets.UTF_8));
  }

  /**
   * Every file under {@code dir} (relative to the repository) whose name ends in {@code suffix}.
   */
  static List<String> files(String dir, String suffix) throws IOException {
    List<String> found = new ArrayList<>();
    try (var paths = Files.list(Jvm.ROOT.resolve(dir))) {
      paths
          .filter(p -> p.getFileName().toString().endsWith(suffix))
          .sorted()
          .forEach(p -> found.add(Jvm.ROOT.relativize(p).toString()));
    }
    return found;
  }
}
