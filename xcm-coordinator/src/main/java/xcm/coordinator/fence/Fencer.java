package xcm.coordinator.fence;

/** Powers hosts off and on through their fence devices. */
public interface Fencer {
  PowerState status(String host) throws FenceException;

  void off(String host) throws FenceException;

  void on(String host) throws FenceException;

  boolean canFence(String host);

  /** No fence devices: every failed host waits for an operator's confirm-down. */
  Fencer NONE =
      new Fencer() {
        @Override
        public PowerState status(String host) throws FenceException {
          throw new FenceException("no fence device is configured for host " + host);
        }

        @Override
        public void off(String host) throws FenceException {
          throw new FenceException("no fence device is configured for host " + host);
        }

        @Override
        public void on(String host) throws FenceException {
          throw new FenceException("no fence device is configured for host " + host);
        }

        @Override
        public boolean canFence(String host) {
          return false;
        }
      };
}
