package xcm.coordinator.fence;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Fencer} that runs each host's fence agent as the ClusterLabs fence agents expect to be
 * run: no arguments, its options as {@code name=value} lines on standard input followed by {@code
 * action=status|off|on}, then standard input closed. Exit codes follow the fence agents: {@code
 * status} exits 0 for on and 2 for off; {@code off} and {@code on} exit 0 when done.
 *
 * <pre>{@code
 * FenceAgentRunner fencer = FenceAgentRunner.builder(FenceDevices.load(file)).build();
 * fencer.off("dmz01"); // runs action=off, then action=status, which must say off
 * }</pre>
 *
 * <p>Secrets (options read from files, options named like passwords) are never in the agent's
 * arguments, in a log line or in an exception: where the agent prints one, it reads {@code ***}.
 *
 * <p>Thread-safe: hosts are fenced in parallel, one action at a time per host.
 */
public final class FenceAgentRunner implements Fencer {
  private static final Logger log = LoggerFactory.getLogger(FenceAgentRunner.class);

  /** The bytes of an agent's output kept (its end). */
  public static final int OUTPUT_LIMIT = 8 * 1024;

  static final int MESSAGE_LINES = 5;
  static final int MESSAGE_CHARS = 1000;

  private final FenceDevices devices;
  private final Clock clock;
  private final Consumer<FenceRun> listener;
  private final Map<String, ReentrantLock> locks = new LinkedHashMap<>();

  private FenceAgentRunner(Builder builder) {
    this.devices = builder.devices;
    this.clock = builder.clock;
    this.listener = builder.listener;
    for (String host : devices.hosts()) {
      locks.put(host, new ReentrantLock());
    }
  }

  public static Builder builder(FenceDevices devices) {
    return new Builder(devices);
  }

  @Override
  public boolean canFence(String host) {
    return devices.device(host).isPresent();
  }

  @Override
  public PowerState status(String host) throws FenceException {
    FenceRun run = run(host, FenceAction.STATUS);
    if (run.exitCode() == 0) {
      return PowerState.ON;
    }
    if (run.exitCode() == 2) {
      return PowerState.OFF;
    }
    throw failed(run, "exit code " + run.exitCode() + " (status exits 0 for on, 2 for off)");
  }

  @Override
  public void off(String host) throws FenceException {
    ReentrantLock lock = lock(host, FenceAction.OFF);
    try {
      FenceRun off = run(host, FenceAction.OFF);
      if (off.exitCode() != 0) {
        throw failed(off, "exit code " + off.exitCode());
      }
      FenceRun status = run(host, FenceAction.STATUS);
      if (status.exitCode() != 2) {
        throw failed(
            status,
            "off exited 0, but status then exited "
                + status.exitCode()
                + (status.exitCode() == 0 ? " (on)" : "")
                + " instead of 2 (off)");
      }
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void on(String host) throws FenceException {
    FenceRun run = run(host, FenceAction.ON);
    if (run.exitCode() != 0) {
      throw failed(run, "exit code " + run.exitCode());
    }
  }

  /**
   * Runs the host's agent once, whatever its exit code; waits while another action on the host
   * runs.
   *
   * @throws FenceException when the host has no device, a file option cannot be read, the agent
   *     cannot start or times out (it is then killed with its descendants), or the thread is
   *     interrupted
   */
  public FenceRun run(String host, FenceAction action) throws FenceException {
    ReentrantLock lock = lock(host, action);
    try {
      return runLocked(devices.device(host).orElseThrow(), action);
    } finally {
      lock.unlock();
    }
  }

  private ReentrantLock lock(String host, FenceAction action) throws FenceException {
    ReentrantLock lock = locks.get(host);
    if (lock == null) {
      throw new FenceException(
          host, "none", action, "no fence device is configured for this host", "");
    }
    try {
      lock.lockInterruptibly();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FenceException(
          host,
          devices.device(host).orElseThrow().program().toString(),
          action,
          "interrupted while waiting for another action on this host",
          "");
    }
    return lock;
  }

  private FenceRun runLocked(FenceDevice device, FenceAction action) throws FenceException {
    String program = device.program().toString();
    List<String> secrets = new ArrayList<>();
    StringBuilder lines = new StringBuilder();
    device
        .options()
        .forEach(
            (name, value) -> {
              lines.append(name).append('=').append(value).append('\n');
              if (device.isSecret(name)) {
                secrets.add(value);
              }
            });
    for (Map.Entry<String, Path> option : device.fileOptions().entrySet()) {
      String value;
      try {
        value = OptionFile.read(option.getKey(), option.getValue());
      } catch (IOException e) {
        throw new FenceException(device.host(), program, action, e.getMessage(), "");
      }
      lines.append(option.getKey()).append('=').append(value).append('\n');
      secrets.add(value);
    }
    lines.append("action=").append(action.word()).append('\n');
    byte[] input = lines.toString().getBytes(StandardCharsets.UTF_8);
    OutputTail output = new OutputTail(OUTPUT_LIMIT);
    Instant start = clock.instant();
    int exitCode;
    try {
      exitCode = AgentProcess.run(device.program(), input, device.timeout(), output);
    } catch (AgentProcess.TimedOut e) {
      String reason =
          "timed out after "
              + shown(device.timeout())
              + " (killed it and "
              + e.descendantsKilled
              + " processes it started)";
      log.warn("fence {}: {} action={} {}", device.host(), program, action.word(), reason);
      throw new FenceException(device.host(), program, action, reason, lastLines(output, secrets));
    } catch (IOException e) {
      throw new FenceException(
          device.host(), program, action, "cannot start it: " + e.getMessage(), "");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FenceException(
          device.host(), program, action, "interrupted (killed it)", lastLines(output, secrets));
    } finally {
      Arrays.fill(input, (byte) 0);
    }
    FenceRun run =
        new FenceRun(
            device.host(),
            program,
            action,
            exitCode,
            Duration.between(start, clock.instant()),
            output.text(secrets));
    log.info(
        "fence {}: {} action={} exit {} in {} ms",
        device.host(),
        device.agentName(),
        action.word(),
        exitCode,
        run.duration().toMillis());
    listener.accept(run);
    return run;
  }

  private static FenceException failed(FenceRun run, String reason) {
    return new FenceException(
        run.host(),
        run.program(),
        run.action(),
        reason,
        OutputTail.lastLines(run.output(), MESSAGE_LINES, MESSAGE_CHARS));
  }

  private static String lastLines(OutputTail output, List<String> secrets) {
    return OutputTail.lastLines(output.text(secrets), MESSAGE_LINES, MESSAGE_CHARS);
  }

  private static String shown(Duration timeout) {
    long millis = timeout.toMillis();
    return millis % 1000 == 0 ? millis / 1000 + "s" : millis + "ms";
  }

  /** Not thread-safe; {@link #build()} once. */
  public static final class Builder {
    private final FenceDevices devices;
    private Clock clock = Clock.systemUTC();
    private Consumer<FenceRun> listener = run -> {};

    private Builder(FenceDevices devices) {
      this.devices = Objects.requireNonNull(devices, "devices");
    }

    /** Optional: the clock that times each run ({@link FenceRun#duration()}). Default is UTC. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Optional: told of every run that ended by itself, e.g. to time fencing. Called on the fencing
     * thread; must not throw. Default is none.
     */
    public Builder listener(Consumer<FenceRun> listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    public FenceAgentRunner build() {
      return new FenceAgentRunner(this);
    }
  }
}
