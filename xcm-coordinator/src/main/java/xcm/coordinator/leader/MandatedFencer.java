package xcm.coordinator.leader;

import xcm.coordinator.fence.FenceAction;
import xcm.coordinator.fence.FenceException;
import xcm.coordinator.fence.Fencer;
import xcm.coordinator.fence.PowerState;
import xcm.mbeans.StandbyException;

/**
 * A fencer that powers a host off or on only while this coordinator acts, asked just before the
 * device is: the failure handler's round may have begun under a lease that a pause (a long GC,
 * SIGSTOP) let run out meanwhile, and the standby that took over may have let the host back in.
 * Reading the power changes nothing, and is always allowed.
 */
public final class MandatedFencer implements Fencer {
  private final Fencer fencer;
  private final Mandate mandate;

  public MandatedFencer(Fencer fencer, Mandate mandate) {
    this.fencer = fencer;
    this.mandate = mandate;
  }

  @Override
  public PowerState status(String host) throws FenceException {
    return fencer.status(host);
  }

  @Override
  public void off(String host) throws FenceException {
    stillActing(host, FenceAction.OFF);
    fencer.off(host);
  }

  @Override
  public void on(String host) throws FenceException {
    stillActing(host, FenceAction.ON);
    fencer.on(host);
  }

  @Override
  public boolean canFence(String host) {
    return fencer.canFence(host);
  }

  private void stillActing(String host, FenceAction action) throws FenceException {
    try {
      mandate.epoch();
    } catch (StandbyException e) {
      throw new FenceException(host, "none", action, e.getMessage(), "");
    }
  }
}
