package xcm.it;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.Serial;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.rmi.Remote;

/**
 * A harmless stand-in for a deserialization gadget, put on the class path of the process under
 * test: its {@code readObject} only writes the file the system property {@value #MARKER} names
 * (nothing without it), where a real gadget chain would start its work. {@link Remote} as well,
 * since the RMI registry's default filter lets remote objects through.
 */
final class Gadget implements Serializable, Remote {
  /** The system property naming the file a read gadget writes. */
  static final String MARKER = "xcm.it.gadget-marker";

  @Serial private static final long serialVersionUID = 1L;

  @Serial
  private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
    in.defaultReadObject();
    String marker = System.getProperty(MARKER);
    if (marker != null) {
      Files.writeString(Path.of(marker), "read in " + ProcessHandle.current().pid() + "\n");
    }
  }
}
