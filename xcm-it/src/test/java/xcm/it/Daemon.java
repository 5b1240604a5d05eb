package xcm.it;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A server from a Debian package (Prometheus, Alertmanager) started for a test on loopback, with
 * its output in {@code target/it-logs/<name>.log}; ready once its {@code /-/ready} answers 200.
 * Stopped by PID.
 */
final class Daemon implements AutoCloseable {
  private static final Path LOGS = Path.of("target", "it-logs").toAbsolutePath();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

  final String name;
  final String url;
  final Path log;
  private final Process process;

  private Daemon(String name, String url, Path log, Process process) {
    this.name = name;
    this.url = url;
    this.log = log;
    this.process = process;
  }

  /**
   * Starts {@code command} and waits until {@code url + "/-/ready"} answers 200.
   *
   * @param url the server's base URL, e.g. {@code http://127.0.0.1:9090}
   */
  static Daemon start(String name, String url, List<String> command)
      throws IOException, InterruptedException {
    Files.createDirectories(LOGS);
    Path log = LOGS.resolve(name + ".log");
    Process process =
        new ProcessBuilder(command)
            .directory(Jvm.ROOT.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    Daemon daemon = new Daemon(name, url, log, process);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(name + " exited at start:\n" + Files.readString(log));
      }
      try {
        HttpResponse<Void> ready =
            HTTP.send(
                HttpRequest.newBuilder(URI.create(url + "/-/ready"))
                    .timeout(Duration.ofSeconds(1))
                    .build(),
                HttpResponse.BodyHandlers.discarding());
        if (ready.statusCode() == 200) {
          return daemon;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(100);
    }
    daemon.close();
    throw new IllegalStateException(name + " not ready within 30 s:\n" + Files.readString(log));
  }

  long pid() {
    return process.pid();
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
