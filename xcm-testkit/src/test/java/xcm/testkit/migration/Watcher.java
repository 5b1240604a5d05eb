package xcm.testkit.migration;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import xcm.agent.libvirt.DomainNotFoundException;
import xcm.agent.libvirt.Hypervisor;
import xcm.mbeans.DomainState;

/**
 * Polls one domain on two hypervisors as fast as it can and records every observation that breaks
 * the migration invariants. Reads are ordered so that a finding is a real violation, never an
 * artefact of reading the hosts one after the other: the destination is read before the source for
 * "running on both" (once the destination ran the domain, the source never runs it again), the
 * source before the destination for "defined on neither" (once the source removed it, the
 * destination keeps it).
 */
final class Watcher implements AutoCloseable {

  /** Reads the domain's state on one host now; null when it is not defined there. */
  interface Host {
    DomainState state(String domain) throws Exception;
  }

  private final String domain;
  private final Host source;
  private final Host destination;
  private final List<String> violations = new CopyOnWriteArrayList<>();
  private final AtomicInteger rounds = new AtomicInteger();
  private final Thread thread;
  private volatile boolean stopped;

  Watcher(String domain, Hypervisor source, Hypervisor destination) {
    this(domain, host(source), host(destination));
  }

  Watcher(String domain, Host source, Host destination) {
    this.domain = domain;
    this.source = source;
    this.destination = destination;
    this.thread = new Thread(this::watch, "watcher-" + domain);
    thread.setDaemon(true);
    thread.start();
  }

  private void watch() {
    while (!stopped) {
      try {
        DomainState before = destination.state(domain);
        DomainState onSource = source.state(domain);
        DomainState after = destination.state(domain);
        if (runs(before) && runs(onSource)) {
          violations.add("running on the destination, then still on the source");
        }
        if (onSource == null && after == null) {
          violations.add("defined on neither host");
        }
        rounds.incrementAndGet();
      } catch (Exception e) {
        violations.add("cannot read: " + e);
      }
    }
  }

  static Host host(Hypervisor hypervisor) {
    return domain -> {
      try {
        return hypervisor.domainState(domain);
      } catch (DomainNotFoundException e) {
        return null;
      }
    };
  }

  private static boolean runs(DomainState state) {
    return state == DomainState.RUNNING || state == DomainState.BLOCKED;
  }

  /** Stops watching and returns what it saw wrong. */
  List<String> violations() {
    close();
    return List.copyOf(violations);
  }

  int rounds() {
    return rounds.get();
  }

  @Override
  public void close() {
    stopped = true;
    try {
      thread.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
