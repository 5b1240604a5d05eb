package xcm.agent.epoch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xcm.mbeans.StaleEpochException;
import xcm.trust.TrustFileException;

class EpochsTest {
  @TempDir Path dir;

  private static String mode(Path file) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
  }

  @Test
  void aNewerEpochIsWrittenBeforeItIsAdmittedAndReadAgainByTheNextAgent() throws Exception {
    Path file = dir.resolve("tls/epoch");
    Epochs first = Epochs.open("dmz01", file);
    assertThat(first.newest()).isZero();
    assertThat(mode(dir.resolve("tls"))).isEqualTo("rwx------");

    first.admit(7, "start domain 'web01'");

    assertThat(Files.readString(file, StandardCharsets.US_ASCII)).isEqualTo("7\n");
    assertThat(mode(file)).isEqualTo("rw-------");
    Epochs next = Epochs.open("dmz01", file);
    assertThat(next.newest()).isEqualTo(7);
    assertThat(next.file()).contains(file);
    assertThatThrownBy(() -> next.admit(6, "destroy domain 'web01'"))
        .isInstanceOf(StaleEpochException.class)
        .hasMessageContaining("coordinator epoch 6, older than epoch 7");
  }

  @Test
  void refusalsAreCounted() {
    Epochs epochs = Epochs.inMemory("dmz01");
    epochs.admit(3, "start domain 'web01'");

    for (int i = 0; i < 2; i++) {
      assertThatThrownBy(() -> epochs.admit(2, "destroy domain 'web\n01'"))
          .isInstanceOf(StaleEpochException.class);
    }
    assertThatThrownBy(() -> epochs.admit(0, "destroy domain 'web01'"))
        .isInstanceOf(IllegalArgumentException.class);

    assertThat(epochs.refusals()).isEqualTo(2);
    assertThat(epochs.newest()).isEqualTo(3);
    assertThat(epochs.file()).isEmpty();
  }

  @Test
  void aFileThatHoldsNoEpochIsRefusedNamingItAndWhatItHolds() throws Exception {
    Path file = dir.resolve("epoch");
    for (String held : new String[] {"", "seven\n", "0\n", "-3", "99999999999999999999"}) {
      Files.writeString(file, held, StandardCharsets.US_ASCII);
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));

      assertThatThrownBy(() -> Epochs.open("dmz01", file))
          .isInstanceOf(IOException.class)
          .hasMessage(
              file
                  + ": holds \""
                  + held.strip()
                  + "\", not a coordinator epoch (a whole number of at least 1). Restore it;"
                  + " removing it lets any former coordinator act here again");
    }
  }

  @Test
  void aFileOthersMayWriteIsRefused() throws Exception {
    Path file = dir.resolve("epoch");
    Files.writeString(file, "4\n", StandardCharsets.US_ASCII);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-rw-"));

    assertThatThrownBy(() -> Epochs.open("dmz01", file))
        .isInstanceOfSatisfying(
            TrustFileException.class,
            e -> assertThat(e.problem()).isEqualTo(TrustFileException.Problem.TOO_OPEN))
        .hasMessageStartingWith(file + ": mode 0666");
  }

  @Test
  void anEpochThatCannotBeWrittenIsRefusedAsAChangeThatChangedNothing() throws Exception {
    Path file = dir.resolve("epoch");
    Epochs epochs = Epochs.open("dmz01", file);
    // A directory in the file's place: the rename over it fails.
    Files.createDirectories(file.resolve("in-the-way"));

    assertThatThrownBy(() -> epochs.admit(2, "start domain 'web01'"))
        .isExactlyInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("dmz01: cannot keep coordinator epoch 2 in " + file + " (")
        .hasMessageEndingWith("): refused, nothing was done");
    assertThatThrownBy(() -> epochs.admit(1, "start domain 'web01'"))
        .as("the older coordinator is fenced all the same")
        .isInstanceOf(StaleEpochException.class);
  }
}
