package xcm.coordinator.operation;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.JMException;
import javax.management.MBeanServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import xcm.coordinator.migration.MoveRequest;
import xcm.mbeans.DescribedMXBean;
import xcm.mbeans.ObjectNames;
import xcm.mbeans.OperationMXBean;
import xcm.mbeans.OperationState;
import xcm.mbeans.PlanView;
import xcm.serve.MBeans;

/**
 * Running and recent operations, each as an {@code xcm:type=Operation,id=...} MBean while it runs
 * and for {@code retention} after it ended.
 *
 * <p>Thread-safe.
 */
public final class OperationRegistry implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(OperationRegistry.class);

  private final MBeanServer server;
  private final Clock clock;
  private final Duration retention;
  private volatile String idPrefix;
  private final AtomicLong sequence = new AtomicLong();
  private final Map<String, Operation> operations = new LinkedHashMap<>();

  public OperationRegistry(MBeanServer server, Clock clock, Duration retention) {
    this.server = server;
    this.clock = clock;
    this.retention = retention;
    // Until this coordinator acts: its start time (base 36) and a sequence number, for the dry
    // runs a standby keeps in memory only.
    this.idPrefix = Long.toString(clock.millis() / 1000, 36);
  }

  /**
   * From now on, ids are {@code e<epoch>-<n>}: unique across every coordinator sharing the journal
   * and across restarts, because each term of the lease has an epoch of its own.
   */
  void actingUnder(long epoch) {
    synchronized (this) {
      idPrefix = "e" + epoch;
      sequence.set(0);
    }
  }

  /** Creates and registers an operation. */
  Operation create(
      OperationKind kind, Requester requester, PlanView plan, List<MoveRequest> moves) {
    String id;
    synchronized (this) {
      id = idPrefix + "-" + sequence.incrementAndGet();
    }
    return register(id, kind, requester, plan, moves);
  }

  /** Registers an operation recovered from the journal, under its old id. */
  Operation restore(
      String id, OperationKind kind, Requester requester, PlanView plan, List<MoveRequest> moves) {
    return register(id, kind, requester, plan, moves);
  }

  private Operation register(
      String id, OperationKind kind, Requester requester, PlanView plan, List<MoveRequest> moves) {
    List<MoveRequest> withId = new ArrayList<>(moves.size());
    for (int i = 0; i < moves.size(); i++) {
      withId.add(moves.get(i).of(id, i));
    }
    Operation operation = new Operation(id, kind, requester, plan, withId, clock);
    synchronized (this) {
      operations.put(id, operation);
    }
    try {
      server.registerMBean(
          DescribedMXBean.of(new OperationView(operation, clock), OperationMXBean.class),
          ObjectNames.operation(id));
    } catch (JMException e) {
      log.error("cannot register the MBean of operation {}", id, e);
    }
    return operation;
  }

  /**
   * True for an operation this coordinator created since it last began acting: live, with a thread
   * of its own, never one left over by a coordinator that stopped (a former active's, or this one's
   * under an earlier term of the lease, even if its journal entry came late). Its id says so: each
   * term's ids carry that term's own prefix.
   */
  public boolean createdThisTerm(String id) {
    return id.startsWith(idPrefix + "-");
  }

  /** Drops an operation that never started (its start could not be journaled). */
  void forget(String id) {
    synchronized (this) {
      operations.remove(id);
    }
    MBeans.unregister(server, ObjectNames.operation(id));
  }

  /** The operation of that id, running or recent. */
  public synchronized Operation get(String id) {
    return operations.get(id);
  }

  public synchronized Collection<Operation> all() {
    return new ArrayList<>(operations.values());
  }

  /** The running operations. */
  public synchronized List<Operation> running() {
    return operations.values().stream().filter(o -> o.state() == OperationState.RUNNING).toList();
  }

  /** Forgets operations that ended longer than the retention ago; returns how many. */
  public int expire() {
    Instant cutoff = clock.instant().minus(retention);
    List<String> expired = new ArrayList<>();
    synchronized (this) {
      operations
          .values()
          .removeIf(
              o -> {
                Instant finished = o.finished();
                if (finished != null && finished.isBefore(cutoff)) {
                  expired.add(o.id());
                  return true;
                }
                return false;
              });
    }
    expired.forEach(id -> MBeans.unregister(server, ObjectNames.operation(id)));
    return expired.size();
  }

  @Override
  public synchronized void close() {
    operations.keySet().forEach(id -> MBeans.unregister(server, ObjectNames.operation(id)));
    operations.clear();
  }
}
