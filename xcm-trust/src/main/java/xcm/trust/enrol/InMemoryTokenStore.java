package xcm.trust.enrol;

import java.util.List;

/**
 * Records kept in memory only: lost with the process.
 *
 * <pre>{@code
 * EnrolmentTokens tokens = new EnrolmentTokens(new InMemoryTokenStore(), clock, new SecureRandom());
 * }</pre>
 *
 * Thread-safe.
 */
public final class InMemoryTokenStore implements TokenStore {
  private volatile List<TokenRecord> records = List.of();

  @Override
  public List<TokenRecord> load() {
    return records;
  }

  @Override
  public void save(List<TokenRecord> records) {
    this.records = List.copyOf(records);
  }
}
