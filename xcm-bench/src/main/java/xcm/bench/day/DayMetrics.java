package xcm.bench.day;

import java.util.Arrays;

/**
 * What one policy's day came to: time-averaged imbalance (the standard deviation of the serving
 * hosts' CPU utilisation, in percentage points), minutes with any powered host above 90% CPU,
 * migrations (in total and in the busiest hour), ping-pongs (a VM arriving back on a host it left
 * within 60 minutes), host-hours powered, planning CPU time.
 *
 * <p>Not thread-safe; one run owns it.
 */
final class DayMetrics {
  static final double HOT = 0.90;

  private int minutes;
  private double imbalanceSum;
  private int hotMinutes;
  private long poweredMinutes;
  private int migrations;
  private int[] perHour = new int[24];
  private int pingPongs;
  private int dropped;
  private int woke;
  private int stoodBy;
  private int abandoned;
  private long planningNanos;
  private double[] poweredByHour = new double[24];
  private double[] busyByHour = new double[24];

  void minute(double[] utilisation, double[] cpus, boolean[] powered, boolean[] serving) {
    int hour = minutes / 60;
    if (hour >= poweredByHour.length) {
      poweredByHour = Arrays.copyOf(poweredByHour, hour + 1);
      busyByHour = Arrays.copyOf(busyByHour, hour + 1);
    }
    minutes++;
    double sum = 0;
    double sumSq = 0;
    int n = 0;
    boolean hot = false;
    for (int h = 0; h < utilisation.length; h++) {
      busyByHour[hour] += utilisation[h] * cpus[h] / 60;
      if (powered[h]) {
        poweredByHour[hour] += 1 / 60.0;
        poweredMinutes++;
        hot |= utilisation[h] > HOT;
      }
      if (serving[h]) {
        sum += utilisation[h];
        sumSq += utilisation[h] * utilisation[h];
        n++;
      }
    }
    if (n > 0) {
      double mean = sum / n;
      imbalanceSum += 100 * Math.sqrt(Math.max(0, sumSq / n - mean * mean));
    }
    hotMinutes += hot ? 1 : 0;
  }

  void migrated(int minute, boolean back) {
    migrations++;
    int hour = minute / 60;
    if (hour >= perHour.length) {
      perHour = Arrays.copyOf(perHour, hour + 1);
    }
    perHour[hour]++;
    pingPongs += back ? 1 : 0;
  }

  void drop() {
    dropped++;
  }

  void wake() {
    woke++;
  }

  void standBy() {
    stoodBy++;
  }

  void abandon() {
    abandoned++;
  }

  void planned(long nanos) {
    planningNanos += nanos;
  }

  double imbalance() {
    return minutes == 0 ? 0 : imbalanceSum / minutes;
  }

  int hotMinutes() {
    return hotMinutes;
  }

  int migrations() {
    return migrations;
  }

  double migrationsPerHour() {
    return minutes == 0 ? 0 : migrations * 60.0 / minutes;
  }

  int busiestHour() {
    return Arrays.stream(perHour).max().orElse(0);
  }

  int pingPongs() {
    return pingPongs;
  }

  double hostHours() {
    return poweredMinutes / 60.0;
  }

  double planningMillis() {
    return planningNanos / 1e6;
  }

  int dropped() {
    return dropped;
  }

  /** Hour by hour: the hosts powered and the CPUs busy, e.g. {@code 00h 64/812}. */
  String hours() {
    StringBuilder out = new StringBuilder();
    for (int h = 0; h < poweredByHour.length; h++) {
      out.append(
          String.format(
              java.util.Locale.ROOT,
              "%s%02dh %.0f/%.0f",
              h == 0 ? "" : " ",
              h,
              poweredByHour[h],
              busyByHour[h]));
    }
    return out.toString();
  }

  /** Hosts put in STANDBY, hosts woken, evacuations given up. */
  String power() {
    return stoodBy + "/" + woke + "/" + abandoned;
  }
}
