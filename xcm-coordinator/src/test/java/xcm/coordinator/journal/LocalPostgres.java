package xcm.coordinator.journal;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A PostgreSQL server from Debian's packages, made by the test in a temporary directory and run on
 * loopback (as the {@code postgres} user: PostgreSQL refuses to run as root); user {@code xcm}, no
 * password. {@link #close} stops it and removes its files.
 *
 * <p>Test support, kept out of the coordinator's jar: the coordinator's tests and the failover
 * trials of {@code ./xcm bench faults --failover} share it through the coordinator's test jar.
 *
 * <pre>{@code
 * try (LocalPostgres pg = LocalPostgres.start()) {
 *   Journal journal = Journal.open(pg.createDatabase("xcm1"), "xcm", "", clock);
 * }
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class LocalPostgres implements AutoCloseable {
  private final Path dir;
  private final Path bin;
  private final int port;

  private LocalPostgres(Path dir, Path bin, int port) {
    this.dir = dir;
    this.bin = bin;
    this.port = port;
  }

  public static LocalPostgres start() throws IOException, InterruptedException {
    Path bin;
    try (var versions = Files.list(Path.of("/usr/lib/postgresql"))) {
      bin = versions.sorted().reduce((a, b) -> b).orElseThrow().resolve("bin");
    }
    Path dir = Files.createTempDirectory("xcm-pg");
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    LocalPostgres pg = new LocalPostgres(dir, bin, port);
    pg.asPostgres(
        bin.resolve("initdb") + " -D " + dir.resolve("data") + " -A trust -U xcm --no-sync");
    pg.pgCtl("start");
    return pg;
  }

  /** Creates an empty database; its JDBC URL. */
  public String createDatabase(String name) throws IOException, InterruptedException {
    asPostgres(bin.resolve("createdb") + " -h 127.0.0.1 -p " + port + " -U xcm " + name);
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + name;
  }

  /**
   * Runs {@code statements}, in order, on the database at {@code url} (one {@link #createDatabase}
   * made) as user {@code xcm}, a superuser: roles, grants, ending sessions.
   */
  public void execute(String url, String... statements) throws SQLException {
    try (Connection c = DriverManager.getConnection(url, "xcm", "");
        Statement s = c.createStatement()) {
      for (String statement : statements) {
        s.execute(statement);
      }
    }
  }

  /** Stops the server (fast: its sessions are ended), and starts it again. */
  public void restart() throws IOException, InterruptedException {
    pgCtl("restart");
  }

  public void stop() throws IOException, InterruptedException {
    pgCtl("stop");
  }

  public void startAgain() throws IOException, InterruptedException {
    pgCtl("start");
  }

  @Override
  public void close() throws IOException {
    // Not InterruptedException: an AutoCloseable that throws it breaks interruption.
    try {
      stop();
      new ProcessBuilder("rm", "-rf", dir.toString()).start().waitFor(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while stopping PostgreSQL in " + dir, e);
    }
  }

  private void pgCtl(String action) throws IOException, InterruptedException {
    asPostgres(
        bin.resolve("pg_ctl")
            + " -D "
            + dir.resolve("data")
            + " -m fast -w -l "
            + dir.resolve("log")
            + " -o '-c listen_addresses=127.0.0.1 -p "
            + port
            + " -k "
            + dir
            + " -F' "
            + action);
  }

  private void asPostgres(String command) throws IOException, InterruptedException {
    Process process =
        new ProcessBuilder(List.of("runuser", "-u", "postgres", "--", "sh", "-c", command))
            .redirectErrorStream(true)
            .start();
    String out = new String(process.getInputStream().readAllBytes());
    if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new IllegalStateException(command + " failed:\n" + out);
    }
  }
}
