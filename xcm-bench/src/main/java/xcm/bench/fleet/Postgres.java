package xcm.bench.fleet;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A PostgreSQL server of Debian's packages for the coordinators of a takeover run, as {@code ./xcm
 * demo --ha} runs one: made in a temporary directory, on loopback, as the {@code postgres} user
 * (PostgreSQL refuses to run as root), user {@code xcm} without a password, one database {@code
 * xcm}. {@link #close} stops it ({@code pg_ctl stop}) and removes its files.
 *
 * <p>Not thread-safe.
 */
final class Postgres implements AutoCloseable {
  private final Path dir;
  private final Path bin;
  private final int port;

  private Postgres(Path dir, Path bin, int port) {
    this.dir = dir;
    this.bin = bin;
    this.port = port;
  }

  /**
   * Makes and starts a server with a database {@code xcm}.
   *
   * @throws IOException when PostgreSQL is not installed or does not start: its output
   */
  static Postgres start() throws IOException, InterruptedException {
    Path versions = Path.of("/usr/lib/postgresql");
    if (!Files.isDirectory(versions)) {
      throw new IOException("PostgreSQL is not installed (apt-get install postgresql)");
    }
    Path bin;
    try (var list = Files.list(versions)) {
      bin = list.sorted().reduce((a, b) -> b).orElseThrow().resolve("bin");
    }
    Path dir = Files.createTempDirectory("xcm-bench-pg");
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    Postgres pg = new Postgres(dir, bin, port);
    pg.asPostgres(
        bin.resolve("initdb") + " -D " + dir.resolve("data") + " -A trust -U xcm --no-sync");
    pg.pgCtl("start");
    pg.asPostgres(bin.resolve("createdb") + " -h 127.0.0.1 -p " + port + " -U xcm xcm");
    return pg;
  }

  /** The coordinator settings of a journal in this server's database {@code xcm}. */
  List<String> journalProperties() {
    return List.of(
        "xcm.coordinator.journal.url=jdbc:postgresql://127.0.0.1:" + port + "/xcm",
        "xcm.coordinator.journal.user=xcm");
  }

  @Override
  public void close() throws IOException {
    try {
      pgCtl("stop");
      new ProcessBuilder("rm", "-rf", dir.toString()).start().waitFor(60, TimeUnit.SECONDS);
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
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
      process.destroyForcibly();
      throw new IOException(command + " failed:\n" + out);
    }
  }
}
