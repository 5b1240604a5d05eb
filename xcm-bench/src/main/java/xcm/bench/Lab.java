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
 * <p>With BMCs ({@link #up(Path, Path, int, int, boolean)}), each host has a simulated IPMI BMC
 * ({@code ipmi_sim} on 127.0.0.1, {@link #bmc}) whose chassis power control kills everything of the
 * host at once and boots it again; {@link #fenceDevices()} is the coordinator's fence devices for
 * them, and {@link #run} makes a command (an agent) part of a host.
 *
 * <p>{@link #close()} runs {@code xcm-lab down}: every guest destroyed, every daemon stopped by
 * PID, nothing left. Thread-safe for reads (virsh, power, BMC); start and stop it from one thread.
 */
public final class Lab implements AutoCloseable {
  /** {@code xcm-lab}'s exit code when this machine cannot create mount namespaces. */
  static final int UNAVAILABLE = 3;

  private final Path root;
  private final Path dir;
  private final Map<String, String> hosts;
  private final Map<String, Bmc> bmcs;

  private Lab(Path root, Path dir, Map<String, String> hosts, Map<String, Bmc> bmcs) {
    this.root = root;
    this.dir = dir;
    this.hosts = hosts;
    this.bmcs = bmcs;
  }

  /**
   * A host's simulated BMC: IPMI over LAN (lanplus, cipher suite 3) on 127.0.0.1:{@code port}, user
   * {@code admin}, the password in {@code passwordFile} (mode 600).
   */
  public record Bmc(int port, Path passwordFile) {}

  /** A guest's QEMU process: its guest's name, its PID and the mount namespace it runs in. */
  public record Qemu(String guest, long pid, String namespace) {}

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
    return up(root, dir, hosts, domains, false);
  }

  /**
   * As {@link #up(Path, Path, int, int)}; with {@code bmcs}, each host gets a simulated BMC ({@code
   * xcm-lab up --bmc}).
   */
  public static Lab up(Path root, Path dir, int hosts, int domains, boolean bmcs)
      throws IOException, InterruptedException, UnavailableException {
    Path script = root.resolve("lab/xcm-lab");
    run(List.of(script.toString(), "down", "--dir", dir.toString()), Integer.MAX_VALUE);
    List<String> command =
        new ArrayList<>(
            List.of(
                script.toString(),
                "up",
                "--dir",
                dir.toString(),
                "--hosts",
                Integer.toString(hosts),
                "--domains",
                Integer.toString(domains)));
    if (bmcs) {
      command.add("--bmc");
    }
    Result result = run(command, Integer.MAX_VALUE);
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
    Map<String, Bmc> bmc = new LinkedHashMap<>();
    if (bmcs) {
      for (String line : Files.readAllLines(dir.resolve("bmcs"), StandardCharsets.UTF_8)) {
        String[] words = line.trim().split("\\s+");
        if (words.length >= 2) {
          bmc.put(
              words[0],
              new Bmc(
                  Integer.parseInt(words[1]), dir.resolve("bmc").resolve(words[0] + ".password")));
        }
      }
    }
    return new Lab(root, dir, uris, bmc);
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

  /** The PIDs of the lab's libvirtd daemons that run, by host, as the lab recorded them. */
  public Map<String, Long> daemons() throws IOException {
    Map<String, Long> pids = new LinkedHashMap<>();
    for (String host : hosts.keySet()) {
      LabProcesses.running(dir, "libvirtd", host).stream()
          .reduce((first, last) -> last)
          .ifPresent(pid -> pids.put(host, pid));
    }
    return pids;
  }

  /** The host's simulated BMC; only in a lab started with BMCs. */
  public Bmc bmc(String host) {
    Bmc bmc = bmcs.get(host);
    if (bmc == null) {
      throw new IllegalArgumentException(
          "the lab has no BMC for " + host + (bmcs.isEmpty() ? " (started without --bmc)" : ""));
    }
    return bmc;
  }

  /**
   * The coordinator's fence devices for the hosts' BMCs ({@code xcm.coordinator.fence-devices}):
   * {@code fence_ipmilan}, lanplus, cipher suite 3, each password in its file.
   */
  public Path fenceDevices() {
    if (bmcs.isEmpty()) {
      throw new IllegalStateException("the lab was started without BMCs: no fence devices");
    }
    return dir.resolve("fence-devices");
  }

  /**
   * Runs {@code ipmitool} against the host's BMC, as an operator would: {@code ipmi(host,
   * "chassis", "power", "off")}. Returns what it printed.
   *
   * @throws IOException when it fails, with its output
   */
  public String ipmi(String host, String... command) throws IOException, InterruptedException {
    Bmc bmc = bmc(host);
    List<String> line =
        new ArrayList<>(
            List.of(
                "ipmitool",
                "-I",
                "lanplus",
                "-H",
                "127.0.0.1",
                "-p",
                Integer.toString(bmc.port()),
                "-U",
                "admin",
                "-f",
                bmc.passwordFile().toString(),
                "-C",
                "3"));
    line.addAll(Arrays.asList(command));
    Result result = run(line, 60);
    if (result.code != 0) {
      throw new IOException(String.join(" ", line) + " failed: " + result.output.strip());
    }
    return result.output;
  }

  /** Whether the host has power ("on" or "off"), as its BMC would say. */
  public boolean powered(String host) throws IOException {
    uri(host);
    Path power = dir.resolve(host).resolve("power");
    return Files.exists(power) && Files.readString(power).strip().equals("on");
  }

  /**
   * Runs {@code command} as part of the host ({@code xcm-lab run}): in its mount namespace, its
   * output appended to {@code log}; it dies when the host loses power and starts again when it
   * boots. Returns its PID.
   */
  public long run(String host, Path log, List<String> command)
      throws IOException, InterruptedException {
    uri(host);
    List<String> line =
        new ArrayList<>(
            List.of(
                root.resolve("lab/xcm-lab").toString(),
                "run",
                host,
                "--dir",
                dir.toString(),
                "--log",
                log.toAbsolutePath().toString(),
                "--"));
    line.addAll(command);
    Result result = run(line, 60);
    if (result.code != 0) {
      throw new IOException("xcm-lab run failed: " + result.output.strip());
    }
    return Long.parseLong(result.output.strip());
  }

  /** The PIDs of the commands given to {@link #run} that run now on the host. */
  public List<Long> commands(String host) throws IOException {
    uri(host);
    return LabProcesses.running(dir, "run", host);
  }

  /**
   * The guests whose QEMU process runs in one of the host's namespaces, by their processes alone:
   * the truth when its libvirtd does not answer.
   */
  public List<String> qemuGuests(String host) throws IOException {
    return qemuProcesses(host).stream().map(Qemu::guest).toList();
  }

  /** As {@link #qemuGuests}, with each QEMU's PID and namespace. */
  public List<Qemu> qemuProcesses(String host) throws IOException {
    uri(host);
    return LabProcesses.guests(dir.resolve(host).resolve("namespaces"));
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
