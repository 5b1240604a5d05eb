package xcm.coordinator.webhook;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.BooleanSupplier;
import xcm.coordinator.inventory.ClusterSnapshot;
import xcm.coordinator.journal.Journal;
import xcm.coordinator.journal.JournalException;
import xcm.coordinator.operation.Operation;
import xcm.coordinator.operation.OperationService;
import xcm.coordinator.operation.Requester;
import xcm.coordinator.webhook.AlertmanagerPayload.Alert;
import xcm.coordinator.webhook.RejectedRequestException.Reason;
import xcm.mbeans.OperationState;
import xcm.mbeans.StandbyException;

/**
 * Turns Alertmanager's alerts into XCM actions. A firing alert with the label {@code
 * xcm_action="drain"} drains the host named by its {@code host} label; {@code xcm_action="balance"}
 * runs a balance (policy from the {@code xcm_policy} label, else the configured one). Resolved
 * alerts and alerts without {@code xcm_action} start nothing.
 *
 * <p>An alert starts its action once: the same alert delivered again — a repeat notification, or
 * the same notification from a second Alertmanager replica, at the same time or later — is answered
 * with the operation it started. "The same alert" is the same fingerprint, host, action and start
 * time: a later, separate firing of that alert (after it resolved) has a new start time and acts
 * again. Started actions are remembered for {@code remember} (and at most {@value #REMEMBERED}), in
 * the journal too, so that a restarted coordinator knows them. A refused action is not remembered,
 * so a repeat notification tries it again.
 *
 * <p>A standby acts on nothing: it keeps each alert for XCM in the journal and answers {@link
 * Outcome#KEPT}; the active coordinator acts on the alerts kept, after each collection round, as if
 * it had received them itself. So with every coordinator's webhook in Alertmanager's configuration,
 * no alert is lost while one of them takes over, and none acts twice.
 *
 * <p>Every decision on an alert that carries {@code xcm_action} goes to the audit log, with the
 * requester {@code webhook:<alertname>}; the operation service adds its own entry for each action
 * started or refused.
 *
 * <pre>{@code
 * AlertActions actions =
 *     new AlertActions(operations, journal, clock, Duration.ofHours(24), "weighted");
 * List<AlertActions.Result> results = actions.handle(AlertmanagerPayload.parse(body));
 * }</pre>
 *
 * <p>Thread-safe: concurrent deliveries of one alert start its action once — the first starts it,
 * the others wait for it and answer with its operation (or, if it was refused, try again). No lock
 * is held while an action starts: starting a drain collects from every agent and plans.
 */
public final class AlertActions {
  public static final String ACTION_LABEL = "xcm_action";
  public static final String HOST_LABEL = "host";
  public static final String POLICY_LABEL = "xcm_policy";
  static final int REMEMBERED = 10_000;

  /** What became of one alert. */
  public enum Outcome {
    /** Its action started now. */
    STARTED,
    /** The same alert had started its action before; nothing new started. */
    ALREADY_STARTED,
    /** Its action cannot be done; the reason says why. Nothing changed. */
    REFUSED,
    /** Not an alert for XCM to act on (resolved, or without {@code xcm_action}). */
    IGNORED,
    /** Received by a standby and kept in the journal: the active coordinator acts on it. */
    KEPT;

    /** As written in responses: {@code started}, {@code already-started}, ... */
    public String label() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
  }

  /**
   * One alert's result.
   *
   * @param action the {@code xcm_action} label, or empty
   * @param operation the operation it started (or had started), or null
   */
  public record Result(
      String alertname,
      String fingerprint,
      String action,
      String host,
      Outcome outcome,
      String operation,
      String reason) {}

  private record Started(String operation, Instant at) {}

  private final OperationService operations;
  private final Journal journal;
  private final Clock clock;
  private final Duration remember;
  private final String balancePolicy;
  private final int capacity;
  private final BooleanSupplier acting;
  private final KeptAlerts kept;
  private final Map<String, Started> started = new LinkedHashMap<>();

  /** Alerts whose action is being started now, guarded by {@code started}. */
  private final Map<String, CompletableFuture<String>> starting = new HashMap<>();

  /**
   * @param journal where started actions are kept across restarts; those it holds from within
   *     {@code remember} are known at once
   * @param acting true while this coordinator is the active one
   * @param coordinator this coordinator's name, kept with the alerts it keeps as a standby
   * @param executor where the active acts on the alerts standbys kept
   */
  public AlertActions(
      OperationService operations,
      Journal journal,
      Clock clock,
      Duration remember,
      String balancePolicy,
      BooleanSupplier acting,
      String coordinator,
      Executor executor) {
    this(
        operations,
        journal,
        clock,
        remember,
        balancePolicy,
        REMEMBERED,
        acting,
        coordinator,
        executor);
  }

  AlertActions(
      OperationService operations,
      Journal journal,
      Clock clock,
      Duration remember,
      String balancePolicy,
      int capacity,
      BooleanSupplier acting,
      String coordinator,
      Executor executor) {
    this.operations = operations;
    this.journal = journal;
    this.clock = clock;
    this.remember = remember;
    this.balancePolicy = balancePolicy;
    this.capacity = capacity;
    this.acting = acting;
    this.kept =
        new KeptAlerts(journal, clock, coordinator, acting, operations::recovering, executor);
    reload();
  }

  /**
   * Reads the started actions the journal holds from within the memory time: a coordinator taking
   * over knows what the former active started.
   */
  public void reload() {
    List<Journal.AlertAction> journaled =
        journal.alertActionsSince(clock.instant().minus(remember));
    synchronized (started) {
      for (Journal.AlertAction action : journaled) {
        started.putIfAbsent(action.key(), new Started(action.operationId(), action.at()));
      }
      forgetOld(clock.instant());
    }
  }

  /**
   * On the active coordinator, once it has settled what was running, acts on the alerts standbys
   * kept, on the executor, unless a pass runs already; a standby does nothing.
   */
  public void afterRound(ClusterSnapshot round) {
    kept.afterRound(alert -> decide(alert).outcome());
  }

  /** Acts on each alert standbys kept, on the calling thread: for tests. */
  void actOnKept() {
    kept.pass(alert -> decide(alert).outcome());
  }

  /**
   * Acts on every alert of a payload, in order.
   *
   * @throws RejectedRequestException (422) when an alert asks for an action XCM does not know or
   *     lacks the labels it needs; then no alert of the payload is acted on
   */
  public List<Result> handle(AlertmanagerPayload payload) throws RejectedRequestException {
    for (Alert alert : payload.alerts()) {
      validate(alert);
    }
    List<Result> results = new ArrayList<>(payload.alerts().size());
    for (Alert alert : payload.alerts()) {
      results.add(decide(alert));
    }
    return results;
  }

  private static void validate(Alert alert) throws RejectedRequestException {
    String action = alert.label(ACTION_LABEL);
    if (action.isEmpty()) {
      return;
    }
    String which = "alert " + alert.name() + " (fingerprint " + alert.fingerprint() + ")";
    if (!action.equals("drain") && !action.equals("balance")) {
      throw new RejectedRequestException(
          Reason.UNPROCESSABLE,
          which + ": unknown " + ACTION_LABEL + " \"" + action + "\"; XCM knows drain, balance");
    }
    if (action.equals("drain") && alert.label(HOST_LABEL).isEmpty()) {
      throw new RejectedRequestException(
          Reason.UNPROCESSABLE,
          which + ": xcm_action=\"drain\" needs a host label naming the XCM host to drain");
    }
  }

  private Result decide(Alert alert) {
    String action = alert.label(ACTION_LABEL);
    String host = alert.label(HOST_LABEL);
    if (action.isEmpty()) {
      return result(alert, Outcome.IGNORED, null, "no " + ACTION_LABEL + " label: not for XCM");
    }
    Requester who = new Requester("webhook", alert.name());
    String asked =
        "alert "
            + alert.name()
            + " (fingerprint "
            + alert.fingerprint()
            + (alert.firing() ? ", firing" : ", resolved")
            + (alert.startsAt().isEmpty() ? "" : " since " + alert.startsAt())
            + ") asks: "
            + describe(action, host, alert);
    if (!alert.firing()) {
      kept.resolved(alert);
      operations.audit().record(who, asked, "ignored: resolved alerts start nothing");
      return result(alert, Outcome.IGNORED, null, "resolved: starts nothing");
    }
    String key = key(alert.fingerprint(), host, action, instant(alert.startsAt()));
    while (true) {
      CompletableFuture<String> mine = new CompletableFuture<>();
      Started earlier;
      CompletableFuture<String> other;
      synchronized (started) {
        forgetOld(clock.instant());
        earlier = started.get(key);
        other = earlier == null ? starting.putIfAbsent(key, mine) : null;
      }
      if (earlier != null) {
        String reason =
            "already started as " + earlier.operation() + " at " + earlier.at() + state(earlier);
        operations.audit().record(who, asked, reason + "; nothing new started");
        return result(alert, Outcome.ALREADY_STARTED, earlier.operation(), reason);
      }
      if (other == null) {
        return start(alert, who, asked, key, action, host, mine);
      }
      // The same alert, delivered at the same time, is being started: its end decides this one.
      try {
        other.join();
      } catch (CompletionException | CancellationException refused) {
        // Refused actions are not remembered: this delivery tries it again.
      }
    }
  }

  /** Starts an alert's action, holding no lock; {@code mine} tells concurrent deliveries. */
  private Result start(
      Alert alert,
      Requester who,
      String asked,
      String key,
      String action,
      String host,
      CompletableFuture<String> mine) {
    if (!acting.getAsBoolean()) {
      synchronized (started) {
        starting.remove(key);
      }
      // Concurrent deliveries of it find it kept, as this one does.
      mine.cancel(false);
      return keep(alert, who, asked, key, action, host);
    }
    String id;
    try {
      id =
          action.equals("drain")
              ? operations.drain(host, false, who)
              : operations.balance(policy(alert), false, who);
    } catch (StandbyException e) {
      // It stopped acting a moment ago: kept, as a standby keeps it.
      synchronized (started) {
        starting.remove(key);
      }
      mine.cancel(false);
      return keep(alert, who, asked, key, action, host);
    } catch (RuntimeException e) {
      synchronized (started) {
        starting.remove(key);
      }
      mine.completeExceptionally(e);
      // The operation service audited the refusal; this entry ties it to the alert.
      operations.audit().record(who, asked, "refused: " + e.getMessage());
      return result(alert, Outcome.REFUSED, null, e.getMessage());
    }
    Instant now = clock.instant();
    synchronized (started) {
      started.put(key, new Started(id, now));
      starting.remove(key);
    }
    mine.complete(id);
    String kept = "";
    try {
      journal.alertActionStarted(new Journal.AlertAction(key, id, now), now.minus(remember));
    } catch (JournalException e) {
      // The action runs; only a restart within the memory time would start it again.
      kept =
          "; not kept in the journal, a restarted coordinator would not know it: " + e.getMessage();
    }
    operations.audit().record(who, asked, "started as " + id + kept);
    return result(alert, Outcome.STARTED, id, describe(action, host, alert) + " started as " + id);
  }

  /** A standby keeps the alert for the active coordinator, in the journal. */
  private Result keep(
      Alert alert, Requester who, String asked, String key, String action, String host) {
    String notKept = kept.keep(alert, key, action, host);
    if (notKept != null) {
      operations
          .audit()
          .record(who, asked, "refused on standby " + kept.coordinator() + ": " + notKept);
      return result(alert, Outcome.REFUSED, null, "not kept: " + notKept);
    }
    String reason =
        "kept for the active coordinator: "
            + kept.coordinator()
            + " is a standby and acts on nothing";
    operations.audit().record(who, asked, reason);
    return result(alert, Outcome.KEPT, null, reason);
  }

  /** A digest of what makes alerts the same: fixed length, any label text, fit for the journal. */
  private static String key(String... parts) {
    MessageDigest sha256;
    try {
      sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
    for (String part : parts) {
      byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
      // The length first, so that no two splits of the same text give the same digest.
      sha256.update(ByteBuffer.allocate(4).putInt(bytes.length).array());
      sha256.update(bytes);
    }
    return HexFormat.of().formatHex(sha256.digest());
  }

  /**
   * The start time as one spelling of its instant: Alertmanager writes the same time as {@code
   * 10:10:26.53Z} in a notification and {@code 10:10:26.530Z} through its API. Text that is no time
   * is kept as it is.
   */
  private static String instant(String startsAt) {
    try {
      return java.time.OffsetDateTime.parse(startsAt).toInstant().toString();
    } catch (java.time.format.DateTimeParseException e) {
      return startsAt;
    }
  }

  /** Where the operation an alert started stands, while the registry still holds it. */
  private String state(Started earlier) {
    Operation operation = operations.registry().get(earlier.operation());
    if (operation == null) {
      return "";
    }
    OperationState state = operation.state();
    return state == OperationState.RUNNING ? " (running)" : " (ended " + state + ")";
  }

  private String policy(Alert alert) {
    String policy = alert.label(POLICY_LABEL);
    return policy.isEmpty() ? balancePolicy : policy;
  }

  private String describe(String action, String host, Alert alert) {
    return action.equals("drain")
        ? "drain " + host
        : "balance " + policy(alert) + (host.isEmpty() ? "" : " (for host " + host + ")");
  }

  private void forgetOld(Instant now) {
    Instant cutoff = now.minus(remember);
    for (Iterator<Started> it = started.values().iterator(); it.hasNext(); ) {
      Started s = it.next();
      if (s.at().isBefore(cutoff) || started.size() >= capacity) {
        it.remove();
      } else {
        break;
      }
    }
  }

  private static Result result(Alert alert, Outcome outcome, String operation, String reason) {
    return new Result(
        alert.name(),
        alert.fingerprint(),
        alert.label(ACTION_LABEL),
        alert.label(HOST_LABEL),
        outcome,
        operation,
        reason);
  }
}
