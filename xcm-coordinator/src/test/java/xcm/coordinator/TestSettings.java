package xcm.coordinator;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The settings of a coordinator a test starts: each door on a loopback port of its own, the
 * operators' password {@code operator-secret}, no nightly balance. A mutable map, for the test's
 * own keys.
 */
public final class TestSettings {
  private TestSettings() {}

  public static Map<String, String> of(Path stateDir) {
    Map<String, String> values = new HashMap<>();
    values.put("xcm.coordinator.state-dir", stateDir.toString());
    values.put("xcm.coordinator.enrol.port", "0");
    values.put("xcm.coordinator.jolokia.password", "operator-secret");
    values.put("xcm.coordinator.jolokia.port", "0");
    values.put("xcm.coordinator.metrics.port", "0");
    values.put("xcm.coordinator.nightly-balance.cron", "");
    return values;
  }
}
