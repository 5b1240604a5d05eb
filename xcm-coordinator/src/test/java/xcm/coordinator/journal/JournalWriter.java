package xcm.coordinator.journal;

import java.time.Clock;
import java.util.List;
import xcm.mbeans.OperationType;

/**
 * Run in a JVM of its own by {@link H2JournalTest}: opens the journal at {@code args[0]}, records
 * an operation, says so on standard output and waits to be killed.
 */
public final class JournalWriter {
  private JournalWriter() {}

  public static void main(String[] args) throws InterruptedException {
    Journal journal = Journal.open(args[0], "", "", Clock.systemUTC());
    journal.operationStarted(
        "killed-1",
        new JournaledOperation.Kind(OperationType.DRAIN, null, "a", null, false),
        "drain a",
        "jmx:ops",
        List.of(JournalContract.move("killed-1", 0, "vm1")));
    System.out.println("written");
    System.out.flush();
    Thread.sleep(60_000);
  }
}
