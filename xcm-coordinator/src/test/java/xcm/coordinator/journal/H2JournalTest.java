package xcm.coordinator.journal;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The journal on its default database: an H2 file. */
class H2JournalTest extends JournalContract {
  @TempDir Path dir;

  private String url() {
    return "jdbc:h2:file:" + dir.resolve("journal");
  }

  @Override
  protected Journal open() {
    return Journal.open(url(), "", "", clock());
  }

  @Override
  protected Journal reopen() {
    return open();
  }

  @Test
  void anUnknownDatabaseIsNamedInTheError() {
    assertThatThrownBy(() -> Journal.open("jdbc:nosuch:db", "", "", clock()))
        .isInstanceOf(JournalException.class)
        .hasMessageStartingWith("cannot open the journal at jdbc:nosuch:db: ");
  }
}
