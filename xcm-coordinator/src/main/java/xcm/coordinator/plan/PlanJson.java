package xcm.coordinator.plan;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.OptionalDouble;

/**
 * A plan as JSON, for tools: {@code ./xcm plan --json}. Field order is fixed:
 *
 * <pre>{@code
 * {"policy":"weighted","score":"weighted-stddev","initialScore":0.41,"finalScore":0.12,
 *  "moveCount":2,"lowerBound":2,"minimal":true,"targetReached":true,"planningMillis":3.1,
 *  "notes":["stopped: ..."],
 *  "moves":[{"domain":"vm1","from":"h1","to":"h2","scoreBefore":0.41,"scoreAfter":0.2,
 *            "reason":"..."}]}
 * }</pre>
 *
 * {@code planningMillis} is present only when the caller measured it:
 *
 * <pre>{@code
 * String json = PlanJson.write(plan, OptionalDouble.of(elapsedMillis));
 * }</pre>
 *
 * <p>Stateless and thread-safe.
 */
public final class PlanJson {
  private static final ObjectMapper MAPPER =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private PlanJson() {}

  /** The plan, indented, with the planning time if given. */
  public static String write(Plan plan, OptionalDouble planningMillis) {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("policy", plan.policy());
    root.put("score", plan.scoreName());
    root.put("initialScore", plan.initialScore());
    root.put("finalScore", plan.finalScore());
    root.put("moveCount", plan.moves().size());
    root.put("lowerBound", plan.lowerBound());
    root.put("minimal", plan.minimal());
    root.put("targetReached", plan.targetReached());
    planningMillis.ifPresent(ms -> root.put("planningMillis", ms));
    ArrayNode notes = root.putArray("notes");
    plan.notes().forEach(notes::add);
    ArrayNode moves = root.putArray("moves");
    for (Move move : plan.moves()) {
      moves
          .addObject()
          .put("domain", move.domain())
          .put("from", move.from())
          .put("to", move.to())
          .put("scoreBefore", move.scoreBefore())
          .put("scoreAfter", move.scoreAfter())
          .put("reason", move.reason());
    }
    try {
      return MAPPER.writeValueAsString(root) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree failed to serialise", e);
    }
  }
}
