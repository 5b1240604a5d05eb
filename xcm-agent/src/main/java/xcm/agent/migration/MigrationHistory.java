package xcm.agent.migration;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import xcm.mbeans.MigrationStatus;

/**
 * The migrations an agent runs or ran as the source, newest first, bounded: ended migrations are
 * kept for {@link #KEEP}, at most {@link #KEEP_AT_MOST} of them; running ones (at most one per
 * domain) are always kept.
 *
 * <p>Thread-safe.
 */
final class MigrationHistory {
  static final Duration KEEP = Duration.ofHours(1);
  static final int KEEP_AT_MOST = 100;

  private final Clock clock;
  private final Deque<OutgoingMigration> migrations = new ArrayDeque<>(); // newest first; by this

  MigrationHistory(Clock clock) {
    this.clock = clock;
  }

  synchronized void add(OutgoingMigration migration) {
    prune();
    migrations.addFirst(migration);
  }

  synchronized void remove(OutgoingMigration migration) {
    migrations.remove(migration);
  }

  /** The status of the migration with that id, if it is kept. */
  synchronized Optional<MigrationStatus> status(String id) {
    prune();
    for (OutgoingMigration migration : migrations) {
      if (migration.id().equals(id)) {
        return Optional.of(migration.status());
      }
    }
    return Optional.empty();
  }

  /** Every kept migration's status, newest first, at most {@link #KEEP_AT_MOST}. */
  synchronized List<MigrationStatus> recent() {
    prune();
    return migrations.stream().limit(KEEP_AT_MOST).map(OutgoingMigration::status).toList();
  }

  /** The migrations still running, e.g. "3f2a... (web01, FINISH)". */
  synchronized List<String> running() {
    return migrations.stream()
        .map(OutgoingMigration::status)
        .filter(s -> !s.finished())
        .map(s -> s.id() + " (" + s.domain() + ", " + s.phase() + ")")
        .toList();
  }

  private void prune() {
    long cutoff = clock.millis() - KEEP.toMillis();
    migrations.removeIf(h -> h.status().finished() && h.status().finishedEpochMillis() < cutoff);
    for (Iterator<OutgoingMigration> oldest = migrations.descendingIterator();
        migrations.size() > KEEP_AT_MOST && oldest.hasNext(); ) {
      if (oldest.next().status().finished()) {
        oldest.remove();
      }
    }
  }
}
