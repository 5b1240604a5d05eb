package xcm.coordinator.jmx;

import java.util.Map;
import java.util.stream.Collectors;

/** A host's labels as one short text for a table's cell: {@code rack=r1,ssd=true}, by key. */
final class HostLabelsText {
  private HostLabelsText() {}

  static String of(Map<String, String> labels) {
    return labels.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .map(e -> e.getKey() + "=" + e.getValue())
        .collect(Collectors.joining(","));
  }
}
