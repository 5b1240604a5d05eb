package xcm.coordinator.fence;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * The last bytes a fence agent printed: an agent that prints without end costs no more memory than
 * this. Thread-safe: the agent's output is appended by one thread and read by another.
 */
final class OutputTail {
  private final byte[] ring;
  private long written;

  OutputTail(int limit) {
    this.ring = new byte[limit];
  }

  synchronized void append(byte[] bytes, int offset, int length) {
    for (int i = 0; i < length; i++) {
      ring[(int) (written++ % ring.length)] = bytes[offset + i];
    }
  }

  /**
   * The text kept, every secret replaced by {@code ***}. When the start was cut off, its first,
   * partial line is dropped too: a secret cut in two there would not be recognised.
   */
  String text(Collection<String> secrets) {
    byte[] kept;
    boolean cut;
    synchronized (this) {
      cut = written > ring.length;
      int size = (int) Math.min(written, ring.length);
      kept = new byte[size];
      int start = (int) ((written - size) % ring.length);
      for (int i = 0; i < size; i++) {
        kept[i] = ring[(start + i) % ring.length];
      }
    }
    String text = new String(kept, StandardCharsets.UTF_8);
    if (cut) {
      int newline = text.indexOf('\n');
      text = newline < 0 ? "" : text.substring(newline + 1);
    }
    List<String> longestFirst = new ArrayList<>(secrets);
    longestFirst.removeIf(String::isEmpty);
    longestFirst.sort(Comparator.comparingInt(String::length).reversed());
    for (String secret : longestFirst) {
      text = text.replace(secret, "***");
    }
    return text;
  }

  /**
   * The last {@code count} lines that hold something, control characters as {@code ?}, joined by
   * {@code " | "}, at most {@code maxChars} characters (the end kept).
   */
  static String lastLines(String text, int count, int maxChars) {
    List<String> lines = new ArrayList<>();
    String[] all = text.split("\n");
    for (int i = all.length - 1; i >= 0 && lines.size() < count; i--) {
      String line = printable(all[i]).strip();
      if (!line.isEmpty()) {
        lines.add(0, line);
      }
    }
    String joined = String.join(" | ", lines);
    return joined.length() <= maxChars
        ? joined
        : "…" + joined.substring(joined.length() - maxChars);
  }

  private static String printable(String line) {
    StringBuilder text = new StringBuilder(line.length());
    line.codePoints()
        .forEach(c -> text.appendCodePoint(Character.isISOControl(c) && c != '\t' ? '?' : c));
    return text.toString();
  }
}
