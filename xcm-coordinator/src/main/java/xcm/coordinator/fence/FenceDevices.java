package xcm.coordinator.fence;

import java.nio.file.Path;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import xcm.mbeans.config.ConfigException;

/**
 * The fence device of each host that has one, from the file given by {@code --fence-devices}
 * ({@code xcm.coordinator.fence-devices}):
 *
 * <pre>
 * # one block per host
 * dmz01.agent         = fence_ipmilan
 * dmz01.ip            = 10.0.0.101
 * dmz01.username      = admin
 * dmz01.password-file = /etc/xcm/secrets/dmz01-bmc
 * dmz01.lanplus       = 1
 * dmz01.cipher        = 3
 * dmz01.timeout       = 60s
 * </pre>
 *
 * <pre>{@code
 * FenceDevices devices = FenceDevices.load(Path.of("/etc/xcm/fence-devices.properties"));
 * Optional<FenceDevice> dmz01 = devices.device("dmz01");
 * }</pre>
 *
 * Immutable, so thread-safe.
 */
public final class FenceDevices {
  private static final FenceDevices NONE = new FenceDevices(Map.of());

  private final Map<String, FenceDevice> byHost;

  private FenceDevices(Map<String, FenceDevice> byHost) {
    this.byHost = Collections.unmodifiableMap(byHost);
  }

  /** No host has a fence device. */
  public static FenceDevices none() {
    return NONE;
  }

  /**
   * These devices.
   *
   * @throws IllegalArgumentException when two are for the same host
   */
  public static FenceDevices of(Collection<FenceDevice> devices) {
    Map<String, FenceDevice> byHost = new LinkedHashMap<>();
    for (FenceDevice device : devices) {
      if (byHost.putIfAbsent(device.host(), device) != null) {
        throw new IllegalArgumentException("two fence devices for host " + device.host());
      }
    }
    return new FenceDevices(byHost);
  }

  /**
   * Reads and checks the whole file: host names, option names, values, the agents (found and
   * executable), the files options are read from (readable and their owner's only). At most {@value
   * FenceDevicesFile#MAX_BYTES} bytes.
   *
   * @throws ConfigException naming the file, the line and the key at fault, and why
   */
  public static FenceDevices load(Path file) {
    return of(FenceDevicesFile.read(file));
  }

  /** The device of {@code host}, if it has one. */
  public Optional<FenceDevice> device(String host) {
    return Optional.ofNullable(byHost.get(host));
  }

  /** The hosts that have a device, in the order they were given. */
  public Set<String> hosts() {
    return byHost.keySet();
  }

  public boolean isEmpty() {
    return byHost.isEmpty();
  }

  /** Hosts and their agents, never an option's value: {@code [dmz01=fence_ipmilan]}. */
  @Override
  public String toString() {
    StringBuilder text = new StringBuilder("[");
    for (FenceDevice device : byHost.values()) {
      text.append(text.length() == 1 ? "" : ", ")
          .append(device.host())
          .append('=')
          .append(device.agentName());
    }
    return text.append(']').toString();
  }
}
