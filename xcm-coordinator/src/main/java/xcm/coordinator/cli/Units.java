package xcm.coordinator.cli;

import java.util.Locale;

/** How the CLI writes sizes, shares and ages for people. */
final class Units {
  private static final String[] BYTES = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};

  private Units() {}

  /** 1536 → "1.5 KiB"; binary units, one decimal from KiB on. */
  static String bytes(double bytes) {
    int unit = 0;
    while (bytes >= 1024 && unit < BYTES.length - 1) {
      bytes /= 1024;
      unit++;
    }
    return unit == 0
        ? String.format(Locale.ROOT, "%.0f B", bytes)
        : String.format(Locale.ROOT, "%.1f %s", bytes, BYTES[unit]);
  }

  /** 0.256 → "26%". */
  static String percent(double fraction) {
    return String.format(Locale.ROOT, "%.0f%%", fraction * 100);
  }

  /** Seconds as "0.4 s", "12 s", "3 min"; negative means never. */
  static String age(double seconds) {
    if (seconds < 0) {
      return "never";
    }
    if (seconds < 10) {
      return String.format(Locale.ROOT, "%.1f s", seconds);
    }
    if (seconds < 120) {
      return String.format(Locale.ROOT, "%.0f s", seconds);
    }
    return String.format(Locale.ROOT, "%.0f min", seconds / 60);
  }
}
