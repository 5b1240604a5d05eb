package xcm.coordinator.plan;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Collectors;
import xcm.mbeans.DomainState;
import xcm.mbeans.HostState;
import xcm.mbeans.placement.HostLabels;
import xcm.mbeans.placement.PlacementRules;
import xcm.mbeans.placement.RulesFormatException;

/**
 * Reads and writes cluster snapshots as JSON, the format of {@code ./xcm plan --snapshot} and of
 * the coordinator's live snapshots:
 *
 * <pre>{@code
 * {"hosts":[{"name":"h1","state":"ACTIVE","memoryBytes":68719476736,
 *            "reservedMemoryBytes":1073741824,"cpus":16}],
 *  "domains":[{"name":"vm1","host":"h1","state":"RUNNING","memoryBytes":2147483648,
 *              "vcpus":2,"cpuUtilisation":0.35}]}
 * }</pre>
 *
 * Optional fields: {@code reservedMemoryBytes} (default 0) and {@code labels} (e.g. {@code
 * "rack=r1,ssd=true"}) on hosts; {@code rules} (placement rules in their text form, e.g. {@code
 * "apart db; on rack=r1"}, see {@link PlacementRules}), {@code pinned} (held by the coordinator,
 * default false), {@code lastMovedSecondsAgo} on domains; {@code antiAffinityGroup}, from before
 * rules, still reads as a hard {@code apart} rule. Unknown fields are errors, so a misspelt {@code
 * pinned} cannot silently unpin a domain. Every error names the entry and the field, e.g. {@code
 * domain "vm7": host "h9" is not listed in hosts}.
 *
 * <pre>{@code
 * ClusterSnapshot snapshot = SnapshotJson.read(Files.newInputStream(path));
 * String json = SnapshotJson.write(snapshot);
 * }</pre>
 *
 * <p>Stateless and thread-safe.
 */
public final class SnapshotJson {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Set<String> TOP = Set.of("hosts", "domains");
  private static final Set<String> HOST_FIELDS =
      Set.of("name", "state", "memoryBytes", "reservedMemoryBytes", "cpus", "labels");
  private static final Set<String> DOMAIN_FIELDS =
      Set.of(
          "name",
          "host",
          "state",
          "memoryBytes",
          "vcpus",
          "cpuUtilisation",
          "rules",
          "antiAffinityGroup",
          "pinned",
          "lastMovedSecondsAgo");

  private SnapshotJson() {}

  /** Parses a snapshot; throws {@link SnapshotException} naming the first bad entry. */
  public static ClusterSnapshot read(String json) {
    try {
      return fromTree(MAPPER.readTree(json));
    } catch (JsonProcessingException e) {
      throw notJson(e);
    }
  }

  /** Parses a snapshot from a stream, which it does not close. */
  public static ClusterSnapshot read(InputStream json) throws IOException {
    try {
      return fromTree(MAPPER.readTree(json));
    } catch (JsonProcessingException e) {
      throw notJson(e);
    }
  }

  /** The snapshot as compact JSON, optional fields only where set. */
  public static String write(ClusterSnapshot snapshot) {
    ObjectNode root = MAPPER.createObjectNode();
    ArrayNode hosts = root.putArray("hosts");
    for (ClusterSnapshot.Host host : snapshot.hosts()) {
      ObjectNode node =
          hosts
              .addObject()
              .put("name", host.name())
              .put("state", host.state().name())
              .put("memoryBytes", host.memoryBytes())
              .put("reservedMemoryBytes", host.reservedMemoryBytes())
              .put("cpus", host.cpus());
      if (!host.labels().asMap().isEmpty()) {
        node.put("labels", host.labels().toString());
      }
    }
    ArrayNode domains = root.putArray("domains");
    for (ClusterSnapshot.Domain domain : snapshot.domains()) {
      ObjectNode node =
          domains
              .addObject()
              .put("name", domain.name())
              .put("host", domain.host())
              .put("state", domain.state().name())
              .put("memoryBytes", domain.memoryBytes())
              .put("vcpus", domain.vcpus())
              .put("cpuUtilisation", domain.cpuUtilisation());
      if (!domain.rules().isEmpty()) {
        node.put("rules", domain.rules().toString());
      }
      if (domain.pinned()) {
        node.put("pinned", true);
      }
      domain.lastMovedSecondsAgo().ifPresent(s -> node.put("lastMovedSecondsAgo", s));
    }
    try {
      return MAPPER.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree failed to serialise", e);
    }
  }

  private static SnapshotException notJson(JsonProcessingException e) {
    String where =
        e.getLocation() == null
            ? ""
            : " at line "
                + e.getLocation().getLineNr()
                + ", column "
                + e.getLocation().getColumnNr();
    return new SnapshotException(
        "snapshot is not valid JSON" + where + ": " + e.getOriginalMessage());
  }

  private static ClusterSnapshot fromTree(JsonNode root) {
    if (root == null || !root.isObject()) {
      throw new SnapshotException("snapshot must be a JSON object with \"hosts\" and \"domains\"");
    }
    rejectUnknown(root, TOP, "snapshot");
    List<ClusterSnapshot.Host> hosts = new ArrayList<>();
    JsonNode hostArray = array(root, "hosts");
    for (int i = 0; i < hostArray.size(); i++) {
      hosts.add(host(hostArray.get(i), i));
    }
    List<ClusterSnapshot.Domain> domains = new ArrayList<>();
    JsonNode domainArray = array(root, "domains");
    for (int i = 0; i < domainArray.size(); i++) {
      domains.add(domain(domainArray.get(i), i));
    }
    return new ClusterSnapshot(hosts, domains);
  }

  private static JsonNode array(JsonNode root, String field) {
    JsonNode node = root.get(field);
    if (node == null || !node.isArray()) {
      throw new SnapshotException("snapshot: \"" + field + "\" must be an array");
    }
    return node;
  }

  private static ClusterSnapshot.Host host(JsonNode node, int index) {
    String label = label("host", "hosts", node, index);
    rejectUnknown(node, HOST_FIELDS, label);
    return new ClusterSnapshot.Host(
        text(node, "name", label),
        state(node, label, HostState.class),
        whole(node, "memoryBytes", label, null),
        whole(node, "reservedMemoryBytes", label, 0L),
        wholeInt(node, "cpus", label),
        labels(node, label));
  }

  private static HostLabels labels(JsonNode node, String label) {
    JsonNode labels = node.get("labels");
    if (labels == null || labels.isNull()) {
      return HostLabels.NONE;
    }
    if (!labels.isTextual()) {
      throw new SnapshotException(label + ": labels must be a string, found: " + labels);
    }
    try {
      return HostLabels.parse(labels.asText());
    } catch (IllegalArgumentException e) {
      throw new SnapshotException(label + ": labels: " + e.getMessage());
    }
  }

  private static PlacementRules rules(JsonNode node, String label) {
    JsonNode rules = node.get("rules");
    JsonNode group = node.get("antiAffinityGroup");
    if (group != null && !group.isNull() && !group.isTextual()) {
      throw new SnapshotException(label + ": antiAffinityGroup must be a string, found: " + group);
    }
    if (rules != null && !rules.isNull() && !rules.isTextual()) {
      throw new SnapshotException(label + ": rules must be a string, found: " + rules);
    }
    String text = rules == null || rules.isNull() ? "" : rules.asText();
    if (group != null && !group.isNull()) {
      text = text + "; apart " + group.asText();
    }
    try {
      return PlacementRules.parse(text);
    } catch (RulesFormatException e) {
      throw new SnapshotException(label + ": rules: " + e.getMessage());
    }
  }

  private static ClusterSnapshot.Domain domain(JsonNode node, int index) {
    String label = label("domain", "domains", node, index);
    rejectUnknown(node, DOMAIN_FIELDS, label);
    PlacementRules rules = rules(node, label);
    JsonNode pinned = node.get("pinned");
    if (pinned != null && !pinned.isBoolean()) {
      throw new SnapshotException(label + ": pinned must be true or false, found: " + pinned);
    }
    JsonNode moved = node.get("lastMovedSecondsAgo");
    return new ClusterSnapshot.Domain(
        text(node, "name", label),
        text(node, "host", label),
        state(node, label, DomainState.class),
        whole(node, "memoryBytes", label, null),
        wholeInt(node, "vcpus", label),
        number(node, "cpuUtilisation", label),
        rules,
        pinned != null && pinned.booleanValue(),
        moved == null || moved.isNull()
            ? OptionalLong.empty()
            : OptionalLong.of(whole(node, "lastMovedSecondsAgo", label, null)));
  }

  private static String label(String kind, String array, JsonNode node, int index) {
    if (!node.isObject()) {
      throw new SnapshotException(array + "[" + index + "] must be an object, found: " + node);
    }
    JsonNode name = node.get("name");
    if (name == null || !name.isTextual() || name.asText().isEmpty()) {
      throw new SnapshotException(array + "[" + index + "]: name is missing");
    }
    return kind + " \"" + name.asText() + "\"";
  }

  private static void rejectUnknown(JsonNode node, Set<String> known, String label) {
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String field = it.next();
      if (!known.contains(field)) {
        throw new SnapshotException(
            label
                + ": unknown field \""
                + field
                + "\" (known: "
                + known.stream().sorted().collect(Collectors.joining(", "))
                + ")");
      }
    }
  }

  private static String text(JsonNode node, String field, String label) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      throw new SnapshotException(label + ": " + field + " is missing");
    }
    if (!value.isTextual()) {
      throw new SnapshotException(label + ": " + field + " must be a string, found: " + value);
    }
    return value.asText();
  }

  private static <E extends Enum<E>> E state(JsonNode node, String label, Class<E> type) {
    String raw = text(node, "state", label);
    try {
      return Enum.valueOf(type, raw.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new SnapshotException(
          label
              + ": state must be one of "
              + Arrays.stream(type.getEnumConstants())
                  .map(Enum::name)
                  .collect(Collectors.joining(", "))
              + ", found: \""
              + raw
              + "\"");
    }
  }

  private static long whole(JsonNode node, String field, String label, Long defaultValue) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      if (defaultValue == null) {
        throw new SnapshotException(label + ": " + field + " is missing");
      }
      return defaultValue;
    }
    if (!value.isIntegralNumber() || !value.canConvertToLong()) {
      throw new SnapshotException(
          label + ": " + field + " must be a whole number, found: " + value);
    }
    long result = value.longValue();
    if (result < 0) {
      throw new SnapshotException(label + ": " + field + " must not be negative, found: " + result);
    }
    return result;
  }

  /** A whole number that is a count (CPUs, vCPUs), so at most {@link Integer#MAX_VALUE}. */
  private static int wholeInt(JsonNode node, String field, String label) {
    long result = whole(node, field, label, null);
    if (result > Integer.MAX_VALUE) {
      throw new SnapshotException(label + ": " + field + " is too large, found: " + result);
    }
    return (int) result;
  }

  private static double number(JsonNode node, String field, String label) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      throw new SnapshotException(label + ": " + field + " is missing");
    }
    if (!value.isNumber()) {
      throw new SnapshotException(label + ": " + field + " must be a number, found: " + value);
    }
    return value.doubleValue();
  }
}
