package xcm.coordinator.plan;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A balance policy as operators write it: its name and {@code key=value} parameters after commas,
 * e.g. {@code domain-count,target=strict}.
 */
public record PolicySpec(String policy, Map<String, String> parameters) {

  public PolicySpec {
    parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
  }

  /**
   * Parses a policy as written; null or empty names no policy (the planner refuses it naming the
   * known ones).
   *
   * @throws PlanRequestException naming a parameter that is not {@code key=value}
   */
  public static PolicySpec parse(String text) {
    String[] parts = (text == null ? "" : text).split(",");
    Map<String, String> parameters = new LinkedHashMap<>();
    for (String parameter : Arrays.asList(parts).subList(1, parts.length)) {
      int eq = parameter.indexOf('=');
      if (eq <= 0) {
        throw new PlanRequestException(
            "policy parameter '"
                + parameter.strip()
                + "' is not key=value (e.g. domain-count,target=strict)");
      }
      parameters.put(parameter.substring(0, eq).strip(), parameter.substring(eq + 1).strip());
    }
    return new PolicySpec(parts[0].strip(), parameters);
  }
}
