package xcm.coordinator.enrol;

import java.util.Optional;
import xcm.mbeans.config.ConfigException;
import xcm.mbeans.config.Settings;
import xcm.serve.http.DoorLimits;
import xcm.trust.Subject;

/**
 * Where hosts ask to join: keys {@code enrol.address} (default {@code 127.0.0.1}), {@code
 * enrol.port} (the door is off unless it is set) and the door's limits ({@link DoorLimits}: {@code
 * enrol.threads}, {@code enrol.header-timeout}, …). The door speaks HTTPS only, with the
 * coordinator's own certificate.
 *
 * @param name the coordinator's name in its certificate (key {@code name}, default {@code
 *     coordinator})
 * @param port empty when the door is off
 */
public record EnrolConfig(String name, String address, Optional<Integer> port, DoorLimits limits) {
  /** Enrolments are rare: two at once, and the rest wait for their turn. */
  static final int DEFAULT_THREADS = 2;

  /** Reads the keys. */
  public static EnrolConfig load(Settings s) {
    String name = s.string("name", "coordinator");
    if (!Subject.isValidName(name)) {
      throw new ConfigException(
          s.prefix() + "name",
          name,
          "must be letters, digits and - in dot-separated labels (it names the coordinator's"
              + " certificate)");
    }
    String address = s.address("enrol.address", "127.0.0.1");
    Optional<Integer> port = s.port("enrol.port");
    DoorLimits limits = DoorLimits.load(s, "enrol", DEFAULT_THREADS);
    return new EnrolConfig(name, address, port, limits);
  }
}
