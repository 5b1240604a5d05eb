package xcm.trust.enrol;

import java.io.IOException;
import java.util.List;

/**
 * Where {@link EnrolmentTokens} keeps its records: read whole and written whole, under the tokens'
 * own lock, so an implementation needs no locking of its own. {@link InMemoryTokenStore} for tests
 * and a coordinator that needs none to outlive it, {@link FileTokenStore} for tokens that survive a
 * restart.
 *
 * <pre>{@code
 * TokenStore store = new FileTokenStore(caDirectory);
 * }</pre>
 */
public interface TokenStore {
  /** All records, as last saved. */
  List<TokenRecord> load() throws IOException;

  /** Replaces all records. */
  void save(List<TokenRecord> records) throws IOException;
}
