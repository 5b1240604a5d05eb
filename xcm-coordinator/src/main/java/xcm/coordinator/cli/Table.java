package xcm.coordinator.cli;

import java.util.ArrayList;
import java.util.List;
import xcm.serve.LogText;

/**
 * A plain-text table: columns as wide as their widest cell, numbers right-aligned. Cells show what
 * agents and callers named (domains, hosts, audit entries): control characters in them are escaped
 * ({@link LogText}), so that each row stays one line and nothing reaches the terminal as a command.
 */
public final class Table {
  private final String[] header;
  private final boolean[] rightAligned;
  private final List<String[]> rows = new ArrayList<>();

  /** Headers starting with '>' are right-aligned (the '>' is not printed). */
  public Table(String... header) {
    this.header = new String[header.length];
    this.rightAligned = new boolean[header.length];
    for (int i = 0; i < header.length; i++) {
      rightAligned[i] = header[i].startsWith(">");
      this.header[i] = rightAligned[i] ? header[i].substring(1) : header[i];
    }
  }

  public Table row(Object... cells) {
    String[] row = new String[header.length];
    for (int i = 0; i < header.length; i++) {
      row[i] = i < cells.length && cells[i] != null ? LogText.escape(cells[i]) : "";
    }
    rows.add(row);
    return this;
  }

  @Override
  public String toString() {
    int[] width = new int[header.length];
    for (int i = 0; i < header.length; i++) {
      width[i] = header[i].length();
      for (String[] row : rows) {
        width[i] = Math.max(width[i], row[i].length());
      }
    }
    StringBuilder out = new StringBuilder();
    line(out, header, width);
    for (String[] row : rows) {
      line(out, row, width);
    }
    return out.toString();
  }

  private void line(StringBuilder out, String[] cells, int[] width) {
    StringBuilder line = new StringBuilder();
    for (int i = 0; i < cells.length; i++) {
      if (i > 0) {
        line.append("  ");
      }
      String pad = " ".repeat(width[i] - cells[i].length());
      line.append(rightAligned[i] ? pad + cells[i] : cells[i] + (i < cells.length - 1 ? pad : ""));
    }
    out.append(line.toString().stripTrailing()).append('\n');
  }
}
