package xcm.coordinator.plan;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The string parameters an operator passed to a policy ({@code --param minGain=0.001}), read with
 * typed getters that fail naming the policy, the key and the value. A policy reads the keys it
 * knows and then calls {@link #rejectOthers()}, so a misspelt key is an error rather than a silent
 * default.
 *
 * <pre>{@code
 * double minGain = parameters.number("minGain", 0.01, 0, Double.MAX_VALUE);
 * parameters.rejectOthers();
 * }</pre>
 *
 * <p>Not thread-safe (it records which keys were read); one per plan call.
 */
public final class PolicyParameters {
  private final String policy;
  private final Map<String, String> values;
  private final Set<String> read = new HashSet<>();

  public PolicyParameters(String policy, Map<String, String> values) {
    this.policy = policy;
    this.values = new TreeMap<>(values);
  }

  /** No parameters: every policy default. */
  public static PolicyParameters none(String policy) {
    return new PolicyParameters(policy, Map.of());
  }

  public boolean has(String key) {
    return values.containsKey(key);
  }

  /** A number in [min, max], or the default when the key is absent. */
  public double number(String key, double defaultValue, double min, double max) {
    read.add(key);
    String raw = values.get(key);
    if (raw == null) {
      return defaultValue;
    }
    double value;
    try {
      value = Double.parseDouble(raw.trim());
    } catch (NumberFormatException e) {
      value = Double.NaN;
    }
    if (!(value >= min && value <= max)) {
      throw invalid(key, raw, "a number" + range(min, max));
    }
    return value;
  }

  /** A whole number in [min, max], or the default when the key is absent. */
  public int integer(String key, int defaultValue, int min, int max) {
    read.add(key);
    String raw = values.get(key);
    if (raw == null) {
      return defaultValue;
    }
    int value;
    try {
      value = Integer.parseInt(raw.trim());
    } catch (NumberFormatException e) {
      throw invalid(key, raw, "a whole number" + range(min, max));
    }
    if (value < min || value > max) {
      throw invalid(key, raw, "a whole number" + range(min, max));
    }
    return value;
  }

  /** One of the allowed words, or the default when the key is absent. */
  public String choice(String key, String defaultValue, List<String> allowed) {
    read.add(key);
    String raw = values.get(key);
    if (raw == null) {
      return defaultValue;
    }
    if (!allowed.contains(raw)) {
      throw invalid(key, raw, "one of " + String.join(", ", allowed));
    }
    return raw;
  }

  /** Fails on any key not read so far. */
  public void rejectOthers() {
    for (String key : values.keySet()) {
      if (!read.contains(key)) {
        throw new PlanRequestException(
            "policy \""
                + policy
                + "\": unknown parameter \""
                + key
                + "\" (known: "
                + String.join(", ", new TreeSet<>(read))
                + ")");
      }
    }
  }

  private PlanRequestException invalid(String key, String raw, String expected) {
    return new PlanRequestException(
        "policy \""
            + policy
            + "\": parameter \""
            + key
            + "\" must be "
            + expected
            + ", found: \""
            + raw
            + "\"");
  }

  private static String range(double min, double max) {
    if (max >= Integer.MAX_VALUE) {
      return " >= " + format(min);
    }
    return " from " + format(min) + " to " + format(max);
  }

  private static String format(double value) {
    return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
  }
}
