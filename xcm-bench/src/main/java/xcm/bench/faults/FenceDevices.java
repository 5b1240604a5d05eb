package xcm.bench.faults;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * The fence devices of the host-failure trials: each host's "BMC" is the lab's {@code
 * fence_xcm_demo} on the pid file of its agent (a demo host is its agent JVM: the test driver's VMs
 * live in it, so killing it is a power-off), behind a wrapper that can be made not to answer, as a
 * BMC that lost power with its host or its network: the coordinator's devices file is read once at
 * its start, so what fails must be switched outside it.
 *
 * <p>Thread-safe: the switch is a file.
 */
final class FenceDevices {
  private final Path dir;
  private final Path file;

  private FenceDevices(Path dir, Path file) {
    this.dir = dir;
    this.file = file;
  }

  /** Writes the devices file and one wrapper per host into {@code dir}. */
  static FenceDevices write(Path dir, Path root, List<String> hosts) throws IOException {
    Path demo = root.resolve("lab/fence_xcm_demo").toAbsolutePath();
    StringBuilder devices = new StringBuilder();
    for (String host : hosts) {
      Path wrapper = dir.resolve("fence_" + host);
      Files.writeString(wrapper, wrapper(dir.resolve(host + ".bmc-down"), demo));
      Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwx------"));
      devices.append(host).append(".agent = ").append(wrapper).append('\n');
      devices.append(host).append(".pidfile = ").append(pidFile(dir, host)).append('\n');
    }
    Path file = dir.resolve("fence-devices.properties");
    Files.writeString(file, devices.toString());
    // The coordinator refuses a devices file that others may read or write.
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    return new FenceDevices(dir, file);
  }

  /**
   * A BMC that answers while {@code down} does not exist; else it fails as fence_ipmilan does for a
   * BMC it cannot reach, after reading its options (the coordinator writes them all).
   */
  static String wrapper(Path down, Path demo) {
    return "#!/bin/sh\n"
        + "if [ -e '"
        + down
        + "' ]; then\n"
        + "  cat >/dev/null\n"
        + "  echo 'Failed: Unable to connect to the BMC (the trial cut it off)' >&2\n"
        + "  exit 1\n"
        + "fi\n"
        + "exec '"
        + demo
        + "'\n";
  }

  /** The file to give the coordinator as {@code --fence-devices}. */
  Path file() {
    return file;
  }

  /** Where the agent of {@code host} must write its pid, for its device to find it. */
  Path pidFile(String host) {
    return pidFile(dir, host);
  }

  private static Path pidFile(Path dir, String host) {
    return dir.resolve(host + ".pid");
  }

  /** Makes the BMC of {@code host} stop answering ({@code true}) or answer again. */
  void bmcDown(String host, boolean down) throws IOException {
    Path flag = dir.resolve(host + ".bmc-down");
    if (down) {
      Files.writeString(flag, "");
    } else {
      Files.deleteIfExists(flag);
    }
  }
}
