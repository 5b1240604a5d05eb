package xcm.mbeans.config;

/**
 * A configuration value that XCM cannot start with. The message names the key, the value found and
 * the rule it breaks: {@code xcm.agent.sample-interval: must be a duration like 5s, found: "five"}.
 */
public final class ConfigException extends IllegalArgumentException {
  private final String key;

  public ConfigException(String key, String value, String rule) {
    super(key + ": " + rule + (value == null ? "" : ", found: \"" + value + "\""));
    this.key = key;
  }

  /** The configuration key at fault. */
  public String key() {
    return key;
  }
}
