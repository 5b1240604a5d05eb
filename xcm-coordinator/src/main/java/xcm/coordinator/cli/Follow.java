package xcm.coordinator.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import xcm.client.Endpoint;
import xcm.client.JolokiaException;
import xcm.client.Request;
import xcm.coordinator.plan.Move;
import xcm.coordinator.plan.Plan;
import xcm.coordinator.plan.PlanTable;
import xcm.mbeans.Attributes;
import xcm.mbeans.ObjectNames;
import xcm.mbeans.OperationMXBean;
import xcm.mbeans.OperationState;

/**
 * Following an operation from the CLI until it ends: a progress bar redrawn in place on a terminal,
 * a line per change otherwise (logs, pipes); then the moves that failed.
 */
public final class Follow {
  private static final int BAR = 30;

  private Follow() {}

  static final String ID = Attributes.name(OperationMXBean.class, OperationMXBean::getId);
  static final String STATE = Attributes.name(OperationMXBean.class, OperationMXBean::getState);
  static final String TOTAL =
      Attributes.name(OperationMXBean.class, OperationMXBean::getMovesTotal);
  public static final String DONE =
      Attributes.name(OperationMXBean.class, OperationMXBean::getMovesDone);
  static final String FAILED =
      Attributes.name(OperationMXBean.class, OperationMXBean::getMovesFailed);
  static final String DURATION =
      Attributes.name(OperationMXBean.class, OperationMXBean::getDurationSeconds);
  static final String PLAN = Attributes.name(OperationMXBean.class, OperationMXBean::getPlan);
  private static final String UNSETTLED =
      Attributes.name(OperationMXBean.class, OperationMXBean::getMovesUnsettled);
  private static final String IN_FLIGHT =
      Attributes.name(OperationMXBean.class, OperationMXBean::getMovesInFlight);
  private static final String ERRORS =
      Attributes.name(OperationMXBean.class, OperationMXBean::getErrors);

  /** Waits for the operation to end; returns 0 if it succeeded, 1 otherwise. */
  public static int until(Endpoint coordinator, String id, PrintWriter out, boolean terminal)
      throws CliException, JolokiaException {
    String last = "";
    JsonNode op;
    try {
      while (true) {
        op = coordinator.send(Request.read(ObjectNames.operation(id)));
        String line = progress(op);
        if (terminal) {
          out.print("\r" + line);
        } else if (!line.equals(last)) {
          out.println(line);
        }
        out.flush();
        last = line;
        if (state(op) != OperationState.RUNNING) {
          break;
        }
        Thread.sleep(terminal ? 200 : 1000);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException("interrupted; operation " + id + " goes on (./xcm ops " + id + ")");
    }
    if (terminal) {
      out.println();
    }
    for (JsonNode error : op.path(ERRORS)) {
      out.println("  failed: " + error.asText());
    }
    out.println("operation " + id + " " + op.path(STATE).asText());
    out.flush();
    return state(op) == OperationState.SUCCEEDED ? 0 : 1;
  }

  /** The operation's state as the coordinator sent it. */
  private static OperationState state(JsonNode op) throws CliException {
    try {
      return OperationState.valueOf(op.path(STATE).asText());
    } catch (IllegalArgumentException e) {
      throw new CliException(
          "the coordinator sent an operation state this CLI does not know: "
              + op.path(STATE).asText());
    }
  }

  /** "[##########....] 12/20 moves 1 failed 2 in flight 14.2 s RUNNING". */
  static String progress(JsonNode op) {
    int total = op.path(TOTAL).asInt();
    int done = op.path(DONE).asInt();
    int failed = op.path(FAILED).asInt();
    int unsettled = op.path(UNSETTLED).asInt();
    int filled = total == 0 ? BAR : (done + failed + unsettled) * BAR / total;
    return String.format(
        Locale.ROOT,
        "[%s%s] %d/%d moves  %d failed%s  %d in flight  %.1f s  %s",
        "#".repeat(filled),
        ".".repeat(BAR - filled),
        done,
        total,
        failed,
        unsettled > 0 ? "  " + unsettled + " unsettled" : "",
        op.path(IN_FLIGHT).asInt(),
        op.path(DURATION).asDouble(),
        op.path(STATE).asText());
  }

  /** A plan from the coordinator, printed as {@code ./xcm plan} prints plans. */
  static String plan(JsonNode view) {
    List<Move> moves = new ArrayList<>();
    for (JsonNode m : view.path("moves")) {
      moves.add(
          new Move(
              m.path("domain").asText(),
              m.path("from").asText(),
              m.path("to").asText(),
              m.path("scoreBefore").asDouble(),
              m.path("scoreAfter").asDouble(),
              m.path("reason").asText()));
    }
    List<String> notes = new ArrayList<>();
    view.path("notes").forEach(n -> notes.add(n.asText()));
    Plan plan =
        new Plan(
            view.path("policy").asText(),
            view.path("scoreName").asText(),
            moves,
            view.path("initialScore").asDouble(),
            view.path("finalScore").asDouble(),
            view.path("lowerBound").asInt(),
            view.path("targetReached").asBoolean(),
            notes);
    return PlanTable.render(plan, OptionalDouble.empty());
  }
}
