package xcm.serve;

import javax.management.InstanceNotFoundException;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Unregistering MBeans whose owner is going away, where "already gone" is success. */
public final class MBeans {
  private static final Logger log = LoggerFactory.getLogger(MBeans.class);

  private MBeans() {}

  /** Unregisters {@code name}; a name not registered is fine, other failures are logged. */
  public static void unregister(MBeanServer server, ObjectName name) {
    try {
      server.unregisterMBean(name);
    } catch (InstanceNotFoundException e) {
      // Already gone: the goal of unregistering is met.
    } catch (JMException e) {
      log.error("cannot unregister {}", LogText.escape(name), e);
    }
  }
}
