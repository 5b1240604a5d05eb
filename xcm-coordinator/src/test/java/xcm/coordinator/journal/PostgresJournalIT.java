package xcm.coordinator.journal;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The journal on a real PostgreSQL server from Debian's packages, started by the test on loopback
 * in a temporary directory (as the {@code postgres} user: PostgreSQL refuses to run as root) and
 * stopped after.
 */
class PostgresJournalIT extends JournalContract {
  private static Path dir;
  private static Path bin;
  private static int port;
  private static int database;

  @BeforeAll
  static void startPostgres() throws Exception {
    try (var versions = Files.list(Path.of("/usr/lib/postgresql"))) {
      bin = versions.sorted().reduce((a, b) -> b).orElseThrow().resolve("bin");
    }
    dir = Files.createTempDirectory("xcm-pg");
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    asPostgres(bin.resolve("initdb") + " -D " + dir.resolve("data") + " -A trust -U xcm --no-sync");
    asPostgres(
        bin.resolve("pg_ctl")
            + " -D "
            + dir.resolve("data")
            + " -w -l "
            + dir.resolve("log")
            + " -o '-c listen_addresses=127.0.0.1 -p "
            + port
            + " -k "
            + dir
            + " -F' start");
  }

  @AfterAll
  static void stopPostgres() throws Exception {
    asPostgres(bin.resolve("pg_ctl") + " -D " + dir.resolve("data") + " -m fast -w stop");
    new ProcessBuilder("rm", "-rf", dir.toString()).start().waitFor(30, TimeUnit.SECONDS);
  }

  private static void asPostgres(String command) throws IOException, InterruptedException {
    Process process =
        new ProcessBuilder(List.of("runuser", "-u", "postgres", "--", "sh", "-c", command))
            .redirectErrorStream(true)
            .start();
    String out = new String(process.getInputStream().readAllBytes());
    if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new IllegalStateException(command + " failed:\n" + out);
    }
  }

  private String url;

  @Override
  protected Journal open() {
    // A fresh database per test, so that each starts empty.
    String name = "xcm" + (++database);
    try {
      asPostgres(bin.resolve("createdb") + " -h 127.0.0.1 -p " + port + " -U xcm " + name);
    } catch (IOException | InterruptedException e) {
      throw new IllegalStateException(e);
    }
    url = "jdbc:postgresql://127.0.0.1:" + port + "/" + name;
    return Journal.open(url, "xcm", "", clock());
  }

  @Override
  protected Journal reopen() {
    return Journal.open(url, "xcm", "", clock());
  }

  @Override
  protected Connection connect() throws SQLException {
    return DriverManager.getConnection(url, "xcm", "");
  }
}
