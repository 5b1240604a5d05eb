package xcm.bench.day;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The default day: a private cloud's working day, seeded. Hosts of three sizes (32 CPUs/384 GiB,
 * 48/512, 64/768); VMs of five (1 vCPU/2 GiB … 16/32), placed at random by memory, each following
 * one of three shapes:
 *
 * <ul>
 *   <li>interactive (55%): a quarter of its level at night, rising from 08:00 to a peak near 13:00
 *       and falling by 19:00, each VM's day shifted by up to an hour;
 *   <li>batch (20%): its full level from 00:00 to 05:00, a sixth of it otherwise;
 *   <li>steady (25%): its level all day.
 * </ul>
 *
 * <p>On top: noise of ±15% (one standard deviation) every minute, and bursts — about two a day per
 * VM, 5 to 30 minutes each, adding half to all of its vCPUs. A VM's level is its vCPUs times a busy
 * fraction drawn around 0.3. Memory is each VM's size, all day.
 */
final class TraceGenerator {
  private static final int[][] HOST_SIZES = {{32, 384}, {48, 512}, {64, 768}};
  private static final double[] HOST_SHARE = {0.5, 0.25, 0.25};
  private static final int[][] VM_SIZES = {{1, 2}, {2, 4}, {4, 8}, {8, 16}, {16, 32}};
  private static final double[] VM_SHARE = {0.25, 0.30, 0.25, 0.15, 0.05};
  private static final double BURST_START = 1.0 / 720;

  private TraceGenerator() {}

  static DayTrace generate(int hostCount, int vmCount, int minutes, long seed) {
    Random random = new Random(seed);
    List<DayTrace.Host> hosts = new ArrayList<>();
    for (int h = 0; h < hostCount; h++) {
      int[] size = HOST_SIZES[pick(HOST_SHARE, (h + 0.5) / hostCount)];
      hosts.add(new DayTrace.Host(String.format("h%03d", h + 1), size[0], size[1] * 1024L));
    }
    long[] free = new long[hostCount];
    for (int h = 0; h < hostCount; h++) {
      free[h] = (long) (hosts.get(h).memoryMib() * 0.9);
    }
    List<DayTrace.Vm> vms = new ArrayList<>();
    double[] level = new double[vmCount];
    int[] shape = new int[vmCount];
    double[] shift = new double[vmCount];
    for (int v = 0; v < vmCount; v++) {
      int[] size = VM_SIZES[pick(VM_SHARE, random.nextDouble())];
      long memory = size[1] * 1024L;
      int host = randomFit(random, free, memory);
      free[host] -= memory;
      vms.add(
          new DayTrace.Vm(String.format("vm%04d", v + 1), size[0], memory, hosts.get(host).name()));
      double busy =
          Math.min(0.95, Math.max(0.03, 0.3 * Math.exp(0.5 * random.nextGaussian() - 0.125)));
      level[v] = busy * size[0];
      double s = random.nextDouble();
      shape[v] = s < 0.55 ? 0 : s < 0.75 ? 1 : 2;
      shift[v] = (random.nextDouble() * 2 - 1) * 60;
    }
    float[][] cpu = new float[minutes][vmCount];
    float[][] mem = new float[minutes][vmCount];
    int[] burstLeft = new int[vmCount];
    double[] burst = new double[vmCount];
    for (int m = 0; m < minutes; m++) {
      for (int v = 0; v < vmCount; v++) {
        int vcpus = vms.get(v).vcpus();
        if (burstLeft[v] == 0 && random.nextDouble() < BURST_START) {
          burstLeft[v] = 5 + random.nextInt(26);
          burst[v] = (0.5 + 0.5 * random.nextDouble()) * vcpus;
        }
        double demand =
            level[v] * shape(shape[v], m + shift[v]) * (1 + 0.15 * random.nextGaussian());
        if (burstLeft[v] > 0) {
          demand += burst[v];
          burstLeft[v]--;
        }
        cpu[m][v] = (float) Math.min(vcpus, Math.max(0, demand));
        mem[m][v] = vms.get(v).memoryMib();
      }
    }
    return new DayTrace(hosts, vms, cpu, mem);
  }

  /** The shape's factor at that minute of the day. */
  private static double shape(int shape, double minute) {
    double hour = ((minute / 60) % 24 + 24) % 24;
    return switch (shape) {
      case 0 -> hour < 8 || hour > 19 ? 0.25 : 0.25 + 0.75 * Math.sin(Math.PI * (hour - 8) / 11);
      case 1 -> hour < 5 ? 1.0 : 1.0 / 6;
      default -> 1.0;
    };
  }

  private static int pick(double[] shares, double u) {
    double sum = 0;
    for (int i = 0; i < shares.length; i++) {
      sum += shares[i];
      if (u < sum) {
        return i;
      }
    }
    return shares.length - 1;
  }

  /** A random host the VM fits on, chosen in proportion to its free memory. */
  private static int randomFit(Random random, long[] free, long memory) {
    long total = 0;
    for (long f : free) {
      total += f >= memory ? f : 0;
    }
    if (total == 0) {
      throw new IllegalArgumentException("the VMs do not fit the hosts' memory");
    }
    long u = (long) (random.nextDouble() * total);
    for (int h = 0; h < free.length; h++) {
      if (free[h] >= memory) {
        u -= free[h];
        if (u < 0) {
          return h;
        }
      }
    }
    return free.length - 1;
  }
}
