package xcm.mbeans.placement;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * What an operator says a host is — {@code rack=r1}, {@code ssd=true}, {@code zone=eu-west-1a} —
 * for placement rules to match, from the agent's configuration ({@code xcm.agent.labels}, {@code
 * --label}). A key is lower-case letters, digits and {@code _}, starting with a letter, at most 63
 * characters, so that it is also a Prometheus label name ({@code xcm_host_labels}); {@code host} is
 * taken (every metric's label). A value is 1 to 63 letters, digits, {@code .}, {@code _} or {@code
 * -}.
 *
 * <pre>{@code
 * HostLabels labels = HostLabels.parse("rack=r1, ssd=true");
 * labels.asMap();   // {rack=r1, ssd=true}
 * }</pre>
 *
 * Immutable, sorted by key.
 */
public record HostLabels(Map<String, String> asMap) {
  public static final HostLabels NONE = new HostLabels(Map.of());

  /** At most this many labels: a host's description, not a database. */
  public static final int MAX_LABELS = 32;

  private static final Pattern KEY = Pattern.compile("[a-z][a-z0-9_]{0,62}");
  private static final Pattern VALUE = Pattern.compile("[A-Za-z0-9._-]{1,63}");

  /**
   * @throws IllegalArgumentException naming the key or value and why it is refused
   */
  public HostLabels {
    TreeMap<String, String> sorted = new TreeMap<>();
    for (Map.Entry<String, String> label : asMap.entrySet()) {
      sorted.put(checkKey(label.getKey()), checkValue(label.getKey(), label.getValue()));
    }
    if (sorted.size() > MAX_LABELS) {
      throw new IllegalArgumentException(
          sorted.size() + " labels: at most " + MAX_LABELS + " describe a host");
    }
    asMap = Collections.unmodifiableMap(sorted);
  }

  /**
   * Labels written {@code key=value}, separated by commas (spaces around them ignored); empty text
   * for none.
   *
   * @throws IllegalArgumentException naming the label and why it is refused: not {@code key=value},
   *     a key given twice, a key or value outside the characters above
   */
  public static HostLabels parse(String text) {
    Map<String, String> labels = new TreeMap<>();
    if (text.isBlank()) {
      return NONE;
    }
    for (String item : text.split(",", -1)) {
      String label = item.strip();
      int equals = label.indexOf('=');
      if (equals < 0) {
        throw new IllegalArgumentException(
            "label '"
                + PlacementRules.clip(label)
                + "' is not key=value (labels are separated by commas)");
      }
      String key = label.substring(0, equals).strip();
      String value = label.substring(equals + 1).strip();
      if (labels.put(key, value) != null) {
        throw new IllegalArgumentException(
            "label key '" + PlacementRules.clip(key) + "' is given twice");
      }
    }
    return new HostLabels(labels);
  }

  private static String checkKey(String key) {
    if (!KEY.matcher(key).matches()) {
      throw new IllegalArgumentException(
          "label key '"
              + PlacementRules.clip(key)
              + "' must be lower-case letters, digits and _, starting with a letter, at most 63");
    }
    if (key.equals("host")) {
      throw new IllegalArgumentException(
          "label key 'host' is taken: it is the host's name on every metric");
    }
    return key;
  }

  private static String checkValue(String key, String value) {
    if (value == null || !VALUE.matcher(value).matches()) {
      throw new IllegalArgumentException(
          "label "
              + PlacementRules.clip(key)
              + ": value '"
              + (value == null ? null : PlacementRules.clip(value))
              + "' must be 1 to 63 letters, digits, '.', '_' or '-'");
    }
    return value;
  }

  /** {@code rack=r1,ssd=true}: what {@link #parse} reads. */
  @Override
  public String toString() {
    StringBuilder text = new StringBuilder();
    asMap.forEach(
        (k, v) -> text.append(text.length() == 0 ? "" : ",").append(k).append('=').append(v));
    return text.toString();
  }
}
