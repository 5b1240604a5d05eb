package xcm.coordinator.webhook;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import xcm.coordinator.journal.Journal;
import xcm.coordinator.journal.JournalException;
import xcm.coordinator.webhook.AlertActions.Outcome;
import xcm.coordinator.webhook.AlertmanagerPayload.Alert;
import xcm.serve.LogText;

/**
 * The alerts a standby keeps in the journal for the active coordinator, and the active's passes
 * over them: each kept alert is decided as if the active had received it, then taken out — unless
 * the active stopped acting meanwhile, which leaves it for the next one. A resolved notification
 * takes the alert's kept firings out: the active does not act hours later on what is over.
 *
 * <p>Thread-safe; one pass at a time.
 */
final class KeptAlerts {
  private static final Logger log = LoggerFactory.getLogger(KeptAlerts.class);

  /** Alerts standbys keep at most, waiting for an active coordinator; more are not kept. */
  static final int CAPACITY = 10_000;

  /** Kept alerts the active acts on after one round. */
  private static final int PASS = 100;

  private final Journal journal;
  private final Clock clock;
  private final String coordinator;
  private final BooleanSupplier acting;
  private final BooleanSupplier settling;
  private final Executor executor;
  private final AtomicBoolean passing = new AtomicBoolean();

  /**
   * @param coordinator this coordinator's name, kept with each alert it keeps
   * @param settling true while the active settles what was running (requests are refused then)
   */
  KeptAlerts(
      Journal journal,
      Clock clock,
      String coordinator,
      BooleanSupplier acting,
      BooleanSupplier settling,
      Executor executor) {
    this.journal = journal;
    this.clock = clock;
    this.coordinator = coordinator;
    this.acting = acting;
    this.settling = settling;
    this.executor = executor;
  }

  String coordinator() {
    return coordinator;
  }

  /**
   * Keeps a firing alert, once per key.
   *
   * @return why it was not kept, or null when it was
   */
  String keep(Alert alert, String key, String action, String host) {
    try {
      return journal.alertReceived(
              new Journal.ReceivedAlert(
                  key,
                  alert.name(),
                  alert.fingerprint(),
                  action,
                  host,
                  alert.label(AlertActions.POLICY_LABEL),
                  alert.startsAt(),
                  clock.instant(),
                  coordinator),
              CAPACITY)
          ? null
          : CAPACITY + " alerts wait already for an active coordinator";
    } catch (JournalException e) {
      return e.getMessage();
    }
  }

  /** An alert resolved: its kept firings are over. */
  void resolved(Alert alert) {
    try {
      journal.alertsResolved(alert.fingerprint());
    } catch (JournalException e) {
      log.warn(
          "alert {} resolved; its kept firings stay in the journal: {}",
          LogText.escape(alert.fingerprint()),
          e.getMessage());
    }
  }

  /**
   * On the active, once it has settled what was running: a pass on the executor, unless one runs.
   */
  void afterRound(Function<Alert, Outcome> decide) {
    if (!acting.getAsBoolean() || settling.getAsBoolean() || !passing.compareAndSet(false, true)) {
      return;
    }
    try {
      executor.execute(
          () -> {
            try {
              pass(decide);
            } catch (RuntimeException e) {
              log.error("acting on the alerts standbys kept failed; trying again next round", e);
            } finally {
              passing.set(false);
            }
          });
    } catch (RejectedExecutionException e) {
      passing.set(false);
    }
  }

  /** Decides each kept alert, oldest first, and takes out those decided. */
  void pass(Function<Alert, Outcome> decide) {
    for (Journal.ReceivedAlert kept : journal.alertsReceived(PASS)) {
      Map<String, String> labels = new LinkedHashMap<>();
      labels.put("alertname", kept.alertname());
      labels.put(AlertActions.ACTION_LABEL, kept.action());
      labels.put(AlertActions.HOST_LABEL, kept.host());
      if (!kept.policy().isEmpty()) {
        labels.put(AlertActions.POLICY_LABEL, kept.policy());
      }
      Outcome outcome = decide.apply(new Alert(true, labels, kept.startsAt(), kept.fingerprint()));
      if (outcome == Outcome.KEPT) {
        // This coordinator stopped acting: the alert waits for the next active one.
        return;
      }
      journal.alertHandled(kept.key());
    }
  }
}
