package xcm.coordinator.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;

/**
 * A plan as a table for people: one row per move, then the totals, the notes and the planning time.
 *
 * <pre>
 * plan: domain-count (score: domains-above-target)
 * #  domain  from  to  before    after     reason
 * 1  vm1     h1    h2  1.000000  0.000000  h1 holds 3 domains, above the target of 2; h2 holds 0
 * moves: 1, lower bound: 1 (minimal), score 1.000000 -&gt; 0.000000, target reached
 * </pre>
 *
 * <pre>{@code
 * System.out.print(PlanTable.render(plan, OptionalDouble.empty()));
 * }</pre>
 *
 * <p>Stateless and thread-safe.
 */
public final class PlanTable {
  private static final String[] HEADER = {"#", "domain", "from", "to", "before", "after", "reason"};

  private PlanTable() {}

  public static String render(Plan plan, OptionalDouble planningMillis) {
    StringBuilder out = new StringBuilder();
    out.append("plan: ")
        .append(plan.policy())
        .append(" (score: ")
        .append(plan.scoreName())
        .append(")\n");
    if (plan.moves().isEmpty()) {
      out.append("no moves\n");
    } else {
      List<String[]> rows = new ArrayList<>(plan.moves().size() + 1);
      rows.add(HEADER);
      int i = 0;
      for (Move move : plan.moves()) {
        rows.add(
            new String[] {
              Integer.toString(++i),
              move.domain(),
              move.from(),
              move.to(),
              ScoreFormat.score(move.scoreBefore()),
              ScoreFormat.score(move.scoreAfter()),
              move.reason()
            });
      }
      int[] width = new int[HEADER.length];
      for (String[] row : rows) {
        for (int c = 0; c < row.length; c++) {
          width[c] = Math.max(width[c], row[c].length());
        }
      }
      for (String[] row : rows) {
        for (int c = 0; c < row.length; c++) {
          out.append(row[c]);
          if (c < row.length - 1) {
            out.append(" ".repeat(width[c] - row[c].length() + 2));
          }
        }
        out.append('\n');
      }
    }
    out.append("moves: ")
        .append(plan.moves().size())
        .append(", lower bound: ")
        .append(plan.lowerBound())
        .append(plan.minimal() ? " (minimal)" : "")
        .append(", score ")
        .append(ScoreFormat.score(plan.initialScore()))
        .append(" -> ")
        .append(ScoreFormat.score(plan.finalScore()))
        .append(plan.targetReached() ? ", target reached" : ", target NOT reached")
        .append('\n');
    for (String note : plan.notes()) {
      out.append("note: ").append(note).append('\n');
    }
    planningMillis.ifPresent(
        ms ->
            out.append("planned in ")
                .append(String.format(java.util.Locale.ROOT, "%.1f", ms))
                .append(" ms\n"));
    return out.toString();
  }
}
