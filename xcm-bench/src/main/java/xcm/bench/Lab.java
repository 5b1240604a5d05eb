package xcm.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A lab of real libvirtd + QEMU hosts made by the lab script ({@code lab/xcm-lab}, what {@code
 * ./xcm lab} runs), for the QEMU bench and integration tests: the same machinery, driven from Java.
 *
 * <pre>{@code
 * try (Lab lab = Lab.up(root, root.resolve("target/lab"), 2, 1)) {
 *   String uri = lab.uri("host1");
 *   List<String> running = lab.running("host2");
 * }
 * }</pre>
 *
 * <p>{@link #close()} runs {@code xcm-lab down}: every guest destroyed, every daemon stopped by
 * PID, nothing left. Not thread-safe.
 */
public final class Lab implements AutoCloseable {
  /** {@code xcm-lab}'s exit code when this machine cannot create mount namespaces. */
  static final int UNAVAILABLE = 3;

  private final Path root;
  private final Path dir;
  private final Map<String, String> hosts;

  private Lab(Path root, Path dir, Map<String, String> hosts) {
    this.root = root;
    this.dir = dir;
    this.hosts = hosts;
  }

  /** This machine cannot run a lab (no mount namespaces, not root); the message says why. */
  public static final class UnavailableException extends Exception {
    UnavailableException(String message) {
      super(message);
    }
  }

  /**
   * Stops whatever lab a crashed run left in {@code dir}, then starts one with {@code hosts} hosts
   * and {@code domains} guests ({@code lab-vm1}, ...) spread over them.
   *
   * @throws UnavailableException when the machine cannot create mount namespaces
   * @throws IOException when the lab does not start, with the script's output
   */
  public static Lab up(Path root, Path dir, int hosts, int domains)
      throws IOException, InterruptedException, UnavailableException {
    Path script = root.resolve("lab/xcm-lab");
    run(List.of(script.toString(), "down", "--dir", dir.toString()), Integer.MAX_VALUE);
    Result result =
        run(
            List.of(
                script.toString(),
                "up",
                "--dir",
                dir.toString(),
                "--hosts",
                Integer.toString(hosts),
                "--domains",
                Integer.toString(domains)),
            Integer.MAX_VALUE);
    if (result.code == UNAVAILABLE) {
      throw new UnavailableException(result.output.strip());
    }
    if (result.code != 0) {
      throw new IOException("xcm-lab up failed (exit " + result.code + "):\n" + result.output);
    }
    Map<String, String> uris = new LinkedHashMap<>();
    for (String line : Files.readAllLines(dir.resolve("hosts"), StandardCharsets.UTF_8)) {
      String[] words = line.trim().split("\\s+", 2);
      if (words.length == 2) {
        uris.put(words[0], words[1]);
      }
    }
    return new Lab(root, dir, uris);
  }

  /** Host names, {@code host1} first. */
  public List<String> hosts() {
    return List.copyOf(hosts.keySet());
  }

  /**
   * The host's libvirt URI, e.g. {@code qemu+unix:///system?socket=<dir>/host1/run/libvirt-sock}.
   */
  public String uri(String host) {
    String uri = hosts.get(host);
    if (uri == null) {
      throw new IllegalArgumentException("the lab has no host " + host + ", only " + hosts());
    }
    return uri;
  }

  /** The lab's directory. */
  public Path dir() {
    return dir;
  }

  /** Runs virsh on one host's libvirtd and returns what it printed. */
  public String virsh(String host, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("virsh", "-q", "-c", uri(host)));
    command.addAll(Arrays.asList(args));
    Result result = run(command, 60);
    if (result.code != 0) {
      throw new IOException(String.join(" ", command) + " failed: " + result.output.strip());
    }
    return result.output;
  }

  /** Names of the domains running (or paused) on the host, as its libvirtd says. */
  public List<String> active(String host) throws IOException, InterruptedException {
    return virsh(host, "list", "--name")
        .lines()
        .map(String::strip)
        .filter(s -> !s.isEmpty())
        .toList();
  }

  /** Names of the domains running on the host, as its libvirtd says. */
  public List<String> running(String host) throws IOException, InterruptedException {
    return virsh(host, "list", "--name", "--state-running")
        .lines()
        .map(String::strip)
        .filter(s -> !s.isEmpty())
        .toList();
  }

  /** Names of every domain defined on the host, running or not. */
  public List<String> defined(String host) throws IOException, InterruptedException {
    return virsh(host, "list", "--all", "--name")
        .lines()
        .map(String::strip)
        .filter(s -> !s.isEmpty())
        .toList();
  }

  /** The PID of the domain's QEMU process on the host, from libvirt's PID file; -1 if none. */
  public long qemuPid(String host, String domain) throws IOException {
    Path pidFile = dir.resolve(host).resolve("run/qemu").resolve(domain + ".pid");
    if (!Files.exists(pidFile)) {
      return -1;
    }
    return Long.parseLong(Files.readString(pidFile).strip());
  }

  /** Defines and starts one more guest on the host; a busy one keeps dirtying its memory. */
  public void guest(String name, String host, boolean busy)
      throws IOException, InterruptedException {
    List<String> command =
        new ArrayList<>(
            List.of(
                root.resolve("lab/xcm-lab").toString(),
                "guest",
                name,
                "--dir",
                dir.toString(),
                "--host",
                host.replace("host", "")));
    if (busy) {
      command.add("--busy");
    }
    Result result = run(command, 120);
    if (result.code != 0) {
      throw new IOException("xcm-lab guest failed: " + result.output.strip());
    }
  }

  /** The PIDs of the lab's libvirtd daemons, as the lab recorded them. */
  public Map<String, Long> daemons() throws IOException {
    Map<String, Long> pids = new LinkedHashMap<>();
    for (String line : Files.readAllLines(dir.resolve("pids"), StandardCharsets.UTF_8)) {
      String[] words = line.trim().split("\\s+");
      if (words.length == 3) {
        pids.put(words[2], Long.parseLong(words[0]));
      }
    }
    return pids;
  }

  /** Stops the lab and removes it, keeping the logs of its daemons and guests. */
  @Override
  public void close() throws IOException {
    try {
      Result result =
          run(
              List.of(
                  root.resolve("lab/xcm-lab").toString(),
                  "down",
                  "--dir",
                  dir.toString(),
                  "--keep-logs"),
              180);
      if (result.code != 0) {
        throw new IOException("xcm-lab down failed: " + result.output.strip());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while stopping the lab in " + dir, e);
    }
  }

  private record Result(int code, String output) {}

  private static Result run(List<String> command, int timeoutSeconds)
      throws IOException, InterruptedException {
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
            .start();
    byte[] output = process.getInputStream().readAllBytes();
    if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IOException(String.join(" ", command) + ": no end within " + timeoutSeconds + " s");
    }
    return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
  }
}
