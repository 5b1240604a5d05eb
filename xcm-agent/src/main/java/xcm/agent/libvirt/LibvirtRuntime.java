package xcm.agent.libvirt;

import com.sun.jna.Pointer;
import org.libvirt.Connect;
import org.libvirt.Library;
import org.libvirt.LibvirtException;
import org.libvirt.jna.Libvirt;
import org.libvirt.jna.virError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * libvirt's process-wide state: its event loop (which drives keepalive, so a dead daemon is
 * noticed) and its default error handler (which prints every error to stderr, while XCM reports
 * errors itself through exceptions, metrics and one log line). Both exist once per process in
 * libvirt, which is why this is static.
 */
final class LibvirtRuntime {
  private static final Logger log = LoggerFactory.getLogger(LibvirtRuntime.class);

  /** Held strongly: JNA drops callbacks that are garbage-collected. */
  private static final Libvirt.VirErrorCallback SILENT = (Pointer userData, virError error) -> {};

  private static boolean initialised;

  private LibvirtRuntime() {}

  static synchronized void init() {
    if (initialised) {
      return;
    }
    try {
      Connect.setErrorCallback(SILENT);
      Library.initEventLoop();
    } catch (LibvirtException e) {
      throw new IllegalStateException("cannot initialise libvirt: " + e.getMessage(), e);
    }
    Thread loop = new Thread(LibvirtRuntime::runEventLoop, "libvirt-event-loop");
    loop.setDaemon(true);
    loop.start();
    initialised = true;
  }

  /** Ping remote daemons every 5 s, give up after 3 unanswered pings. */
  static void keepAlive(Connect connection) {
    try {
      connection.setKeepAlive(5, 3);
    } catch (LibvirtException e) {
      // Local drivers (test:///, qemu:/// opened in-process) have no keepalive; nothing to do.
    }
  }

  private static void runEventLoop() {
    try {
      Library.runEventLoop();
    } catch (LibvirtException e) {
      log.error("libvirt event loop stopped: {}", e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
