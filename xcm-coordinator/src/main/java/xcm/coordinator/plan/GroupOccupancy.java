package xcm.coordinator.plan;

/**
 * How many members of each anti-affinity group sit on each host: an open-addressing map from
 * (group, host) to a count. Planners ask it in their innermost loop, where a {@code HashMap<Long,
 * Integer>} both boxes and, with keys of the form group × 2³² + host, collides badly.
 *
 * <p>Not thread-safe.
 */
final class GroupOccupancy {
  private static final long EMPTY = -1;

  private long[] keys;
  private int[] counts;
  private int size;

  GroupOccupancy(int expected) {
    int capacity = Integer.highestOneBit(Math.max(16, expected * 2) - 1) << 1;
    keys = new long[capacity];
    counts = new int[capacity];
    java.util.Arrays.fill(keys, EMPTY);
  }

  /** An independent copy, to try changes on. */
  GroupOccupancy(GroupOccupancy other) {
    keys = other.keys.clone();
    counts = other.counts.clone();
    size = other.size;
  }

  int count(int group, int host) {
    long key = key(group, host);
    int mask = keys.length - 1;
    for (int i = slot(key, mask); ; i = (i + 1) & mask) {
      if (keys[i] == key) {
        return counts[i];
      }
      if (keys[i] == EMPTY) {
        return 0;
      }
    }
  }

  void add(int group, int host, int delta) {
    if ((size + 1) * 2 > keys.length) {
      grow();
    }
    long key = key(group, host);
    int mask = keys.length - 1;
    for (int i = slot(key, mask); ; i = (i + 1) & mask) {
      if (keys[i] == key) {
        counts[i] += delta;
        return;
      }
      if (keys[i] == EMPTY) {
        keys[i] = key;
        counts[i] = delta;
        size++;
        return;
      }
    }
  }

  private void grow() {
    long[] oldKeys = keys;
    int[] oldCounts = counts;
    keys = new long[oldKeys.length * 2];
    counts = new int[oldKeys.length * 2];
    java.util.Arrays.fill(keys, EMPTY);
    size = 0;
    for (int i = 0; i < oldKeys.length; i++) {
      if (oldKeys[i] != EMPTY) {
        add((int) (oldKeys[i] >>> 32), (int) oldKeys[i], oldCounts[i]);
      }
    }
  }

  private static long key(int group, int host) {
    return ((long) group << 32) | (host & 0xffffffffL);
  }

  /** A murmur3 finaliser: spreads keys that differ only in low or only in high bits. */
  private static int slot(long key, int mask) {
    long h = key;
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    h ^= h >>> 33;
    return (int) h & mask;
  }
}
