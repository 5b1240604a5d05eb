package xcm.coordinator.balancing;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import xcm.coordinator.fence.FenceException;
import xcm.coordinator.fence.Fencer;
import xcm.coordinator.inventory.ClusterSnapshot;
import xcm.coordinator.inventory.DomainData;
import xcm.coordinator.inventory.HostRecord;
import xcm.coordinator.operation.OperationService;
import xcm.coordinator.operation.Requester;
import xcm.mbeans.HostState;

/**
 * Switches STANDBY hosts off once they are empty and on again when they are woken, through the
 * power hook: a host's fence device ({@link Fencer}, the fence agents' {@code off} and {@code on}),
 * or none, when XCM only marks hosts STANDBY. A woken host stays STANDBY until its agent answers,
 * so that a host still booting is never taken for a failed one, and goes ACTIVE then. Every switch
 * is audited.
 *
 * <p>Thread-safe.
 */
final class PowerSwitch {
  private final OperationService operations;
  private final Optional<Fencer> hook;
  private final Requester who;
  private final Set<String> switchedOff = new HashSet<>();
  private final Set<String> waking = new HashSet<>();

  PowerSwitch(OperationService operations, Optional<Fencer> hook, Requester who) {
    this.operations = operations;
    this.hook = hook;
    this.who = who;
  }

  /** True while a woken host has not answered yet: power saving waits for it. */
  synchronized boolean waking() {
    return !waking.isEmpty();
  }

  /** Powers the hosts on (through the hook, when it has a device for them); they wake once up. */
  void wake(List<String> hosts) {
    for (String host : hosts) {
      if (switchOn(host)) {
        synchronized (this) {
          waking.add(host);
          switchedOff.remove(host);
        }
      }
    }
  }

  /**
   * After a round: woken hosts that answer go ACTIVE; STANDBY hosts that answer and run nothing are
   * switched off, once.
   */
  void settle(ClusterSnapshot cluster) {
    for (HostRecord host : cluster.hosts().values()) {
      String name = host.name();
      boolean standby = host.mode() == HostState.STANDBY && host.failure() == null;
      boolean answers = host.reachable() && host.data() != null;
      boolean wakingUp;
      boolean off;
      synchronized (this) {
        if (!standby) {
          waking.remove(name);
          switchedOff.remove(name);
          continue;
        }
        wakingUp = waking.contains(name);
        off = switchedOff.contains(name);
      }
      if (wakingUp && answers) {
        try {
          operations.activate(name, who);
        } catch (IllegalArgumentException | IllegalStateException e) {
          continue; // audited as refused; tried again after the next round
        }
        synchronized (this) {
          waking.remove(name);
        }
      } else if (!wakingUp && !off && answers && runsNothing(host) && switchOff(name)) {
        synchronized (this) {
          switchedOff.add(name);
        }
      }
    }
  }

  private static boolean runsNothing(HostRecord host) {
    return host.data().domains().stream().noneMatch(DomainData::active);
  }

  private boolean switchOff(String host) {
    if (hook.isEmpty() || !hook.get().canFence(host)) {
      return true;
    }
    return switched(host, "off", () -> hook.get().off(host));
  }

  private boolean switchOn(String host) {
    if (hook.isEmpty() || !hook.get().canFence(host)) {
      return true;
    }
    return switched(host, "on", () -> hook.get().on(host));
  }

  private interface Switch {
    void run() throws FenceException;
  }

  /** Runs the hook, audited; false when it failed (the next round tries again). */
  private boolean switched(String host, String how, Switch action) {
    String what = "power " + how + " " + host + " (power saving)";
    try {
      action.run();
      operations.audit().record(who, what, "done");
      return true;
    } catch (FenceException e) {
      operations.audit().record(who, what, "failed: " + e.getMessage());
      return false;
    }
  }
}
