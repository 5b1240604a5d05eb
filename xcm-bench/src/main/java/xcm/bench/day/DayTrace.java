package xcm.bench.day;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A cluster's hosts and VMs and each VM's demand minute by minute: what the day bench replays.
 * Demand is CPUs kept busy (0 to the VM's vCPUs) and memory held, in MiB.
 *
 * <p>Immutable once built: the arrays are not handed out.
 */
final class DayTrace {
  /** One physical host. */
  record Host(String name, int cpus, long memoryMib) {}

  /** One VM and the host it starts the day on. */
  record Vm(String name, int vcpus, long memoryMib, String host) {}

  private final List<Host> hosts;
  private final List<Vm> vms;
  private final float[][] cpu;
  private final float[][] memoryMib;

  /**
   * @param cpu demand by minute, then VM, in the order of {@code vms}
   * @param memoryMib memory held by minute, then VM
   */
  DayTrace(List<Host> hosts, List<Vm> vms, float[][] cpu, float[][] memoryMib) {
    this.hosts = List.copyOf(hosts);
    this.vms = List.copyOf(vms);
    this.cpu = cpu;
    this.memoryMib = memoryMib;
    Set<String> hostNames = new HashSet<>();
    for (Host host : hosts) {
      requirePlain("host", host.name());
      if (host.cpus() <= 0 || host.memoryMib() <= 0 || !hostNames.add(host.name())) {
        throw new IllegalArgumentException(
            "host \"" + host.name() + "\": listed twice, or without CPUs or memory");
      }
    }
    Set<String> vmNames = new HashSet<>();
    for (Vm vm : vms) {
      requirePlain("VM", vm.name());
      if (!vmNames.add(vm.name())) {
        throw new IllegalArgumentException("VM \"" + vm.name() + "\" is listed twice");
      }
      if (vm.vcpus() <= 0 || !hostNames.contains(vm.host())) {
        throw new IllegalArgumentException(
            "VM \"" + vm.name() + "\": no vCPUs, or its host \"" + vm.host() + "\" is not listed");
      }
    }
    if (cpu.length == 0 || cpu.length != memoryMib.length) {
      throw new IllegalArgumentException("a trace needs at least one minute of CPU and memory");
    }
  }

  /** A name the trace's CSV can carry: not empty, no comma, no line break. */
  private static void requirePlain(String kind, String name) {
    if (name == null
        || name.isEmpty()
        || name.contains(",")
        || name.contains("\n")
        || name.contains("\r")) {
      throw new IllegalArgumentException(
          kind
              + " name \""
              + name
              + "\" cannot go in a trace: it is empty or holds a comma or a line break");
    }
  }

  List<Host> hosts() {
    return hosts;
  }

  List<Vm> vms() {
    return vms;
  }

  int minutes() {
    return cpu.length;
  }

  /** CPUs the VM keeps busy in that minute. */
  double cpu(int minute, int vm) {
    return cpu[minute][vm];
  }

  /** Memory the VM holds in that minute, in bytes. */
  long memoryBytes(int minute, int vm) {
    return (long) memoryMib[minute][vm] << 20;
  }
}
