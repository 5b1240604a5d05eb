package xcm.serve;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.Serial;
import java.io.Serializable;
import java.rmi.Remote;
import java.util.concurrent.atomic.AtomicInteger;
import javax.management.Notification;
import javax.management.NotificationFilter;

/**
 * A harmless stand-in for a deserialization gadget: its {@code readObject} only counts that it ran,
 * where a real gadget chain would start its work. {@link Remote} as well, since the RMI registry's
 * default filter lets remote objects through, and a notification filter, which a JMX client sends
 * for the server to run.
 */
final class Gadget implements Serializable, Remote, NotificationFilter {
  @Serial private static final long serialVersionUID = 1L;

  /** How often any JVM-local stream read a gadget. */
  static final AtomicInteger READ = new AtomicInteger();

  @Serial
  private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
    in.defaultReadObject();
    READ.incrementAndGet();
  }

  @Override
  public boolean isNotificationEnabled(Notification notification) {
    return true;
  }
}
