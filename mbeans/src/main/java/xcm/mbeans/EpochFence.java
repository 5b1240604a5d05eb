package xcm.mbeans;

import java.util.Objects;

/**
 * The rule an agent keeps for the coordinator epochs that its host-changing requests carry ({@link
 * HostOperationsMXBean#EPOCH_PARAM}): an epoch equal to or newer than the newest seen is admitted,
 * a newer one becoming the newest, kept by the {@link Keeper} before the request goes on; an older
 * one is refused with {@link StaleEpochException}, and an epoch below 1 (none that a coordinator
 * sends) with {@link IllegalArgumentException}. In one place so that the agent and the stand-ins
 * that serve its contract in tests refuse alike, in the same words.
 *
 * <pre>{@code
 * EpochFence fence = new EpochFence("dmz01", file.read(), file::write);
 * fence.admit(epoch, "destroy domain 'web01'"); // before anything changes
 * }</pre>
 *
 * <p>Thread-safe: admissions are serialised, the keeper included, so two requests cannot both raise
 * the newest epoch and keep them in the wrong order. The keeper must not call the network.
 */
public final class EpochFence {

  /** Keeps the newest epoch where it outlives the process, or nowhere. */
  @FunctionalInterface
  public interface Keeper {
    /**
     * Keeps {@code epoch} as the newest seen.
     *
     * @throws IllegalStateException naming the host, where and why, when it cannot: the request
     *     that carried the epoch is refused, as one that changed nothing
     */
    void keep(long epoch);
  }

  /** Keeps nothing: a process that restarts has seen no epoch. */
  public static final Keeper IN_MEMORY = epoch -> {};

  private final String host;
  private final Keeper keeper;
  private long newest; // guarded by this
  private long kept; // guarded by this

  /**
   * @param host how refusals name this host
   * @param kept the newest epoch kept before (0 for none)
   */
  public EpochFence(String host, long kept, Keeper keeper) {
    if (kept < 0) {
      throw new IllegalArgumentException(host + ": a kept epoch is never negative, found " + kept);
    }
    this.host = Objects.requireNonNull(host, "host");
    this.keeper = Objects.requireNonNull(keeper, "keeper");
    this.newest = kept;
    this.kept = kept;
  }

  /**
   * Admits a request that carries {@code epoch}, or refuses it having changed nothing.
   *
   * @param request what the request asks, for the refusal: {@code "destroy domain 'web01'"}
   * @throws StaleEpochException when {@code epoch} is older than the newest seen
   * @throws IllegalArgumentException when {@code epoch} is below 1
   * @throws IllegalStateException when a newer epoch cannot be kept
   */
  public synchronized void admit(long epoch, String request) {
    if (epoch < 1) {
      throw new IllegalArgumentException(
          host
              + ": cannot "
              + request
              + ": coordinator epoch "
              + epoch
              + " is none a coordinator sends (epochs start at 1; an operator acting directly"
              + " passes this agent's Epoch attribute, 1 while it is 0)");
    }
    if (epoch < newest) {
      throw new StaleEpochException(
          host
              + ": cannot "
              + request
              + ": the request carries coordinator epoch "
              + epoch
              + ", older than epoch "
              + newest
              + ", the newest this agent has seen: it comes from a coordinator that is no longer"
              + " the active one; nothing was done");
    }
    // Seen, even if it cannot be kept: the older coordinator is fenced while this process runs.
    newest = epoch;
    if (epoch > kept) {
      keeper.keep(epoch);
      kept = epoch;
    }
  }

  /** The newest epoch seen; 0 before any. */
  public synchronized long newest() {
    return newest;
  }
}
