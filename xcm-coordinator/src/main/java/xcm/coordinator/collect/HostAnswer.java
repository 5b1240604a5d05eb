package xcm.coordinator.collect;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import xcm.client.Body;
import xcm.client.JolokiaException;
import xcm.client.Request;
import xcm.coordinator.inventory.DomainData;
import xcm.coordinator.inventory.DomainRules;
import xcm.coordinator.inventory.HostData;
import xcm.mbeans.Attributes;
import xcm.mbeans.DomainMXBean;
import xcm.mbeans.DomainState;
import xcm.mbeans.HostMXBean;
import xcm.mbeans.ObjectNames;

/**
 * An agent's answer to the bulk read, {@link #REQUESTS}: its {@code xcm:type=Host}, then every
 * {@code xcm:type=Domain}, only the attributes the views show, named through the MXBean interfaces
 * both in the request and here. Parsed streaming, each attribute straight into its place, with no
 * tree and no map per domain: the coordinator parses every host's answer every round (at 10,000
 * hosts and a 5 s interval, 2,000 answers and 40,000 domains a second), and the parse was the
 * largest part of its CPU.
 */
final class HostAnswer {
  /** The host's attributes read. */
  enum HostAttribute {
    NAME(Attributes.name(HostMXBean.class, HostMXBean::getName)),
    CPUS(Attributes.name(HostMXBean.class, HostMXBean::getCpus)),
    MEMORY(Attributes.name(HostMXBean.class, HostMXBean::getMemoryBytes)),
    MEMORY_FREE(Attributes.name(HostMXBean.class, HostMXBean::getMemoryFreeBytes)),
    CPU_UTILISATION(Attributes.name(HostMXBean.class, HostMXBean::getCpuUtilisation)),
    STALE(Attributes.name(HostMXBean.class, HostMXBean::isStale)),
    SAMPLED(Attributes.name(HostMXBean.class, HostMXBean::getLastSampleEpochMillis)),
    HOST_UUID(Attributes.name(HostMXBean.class, HostMXBean::getHostUuid)),
    LABELS(Attributes.name(HostMXBean.class, HostMXBean::getLabels));

    final String attribute;

    HostAttribute(String attribute) {
      this.attribute = attribute;
    }
  }

  /** Each domain's attributes read. */
  enum DomainAttribute {
    NAME(Attributes.name(DomainMXBean.class, DomainMXBean::getName)),
    UUID(Attributes.name(DomainMXBean.class, DomainMXBean::getUuid)),
    STATE(Attributes.name(DomainMXBean.class, DomainMXBean::getState)),
    MEMORY(Attributes.name(DomainMXBean.class, DomainMXBean::getMemoryBytes)),
    MAX_MEMORY(Attributes.name(DomainMXBean.class, DomainMXBean::getMaxMemoryBytes)),
    VCPUS(Attributes.name(DomainMXBean.class, DomainMXBean::getVcpus)),
    CPU_UTILISATION(Attributes.name(DomainMXBean.class, DomainMXBean::getCpuUtilisation)),
    CPU_TIME(Attributes.name(DomainMXBean.class, DomainMXBean::getCpuTimeSeconds)),
    BLOCK_READ(Attributes.name(DomainMXBean.class, DomainMXBean::getBlockReadBytes)),
    BLOCK_WRITE(Attributes.name(DomainMXBean.class, DomainMXBean::getBlockWriteBytes)),
    RECEIVED(Attributes.name(DomainMXBean.class, DomainMXBean::getNetworkReceiveBytes)),
    TRANSMITTED(Attributes.name(DomainMXBean.class, DomainMXBean::getNetworkTransmitBytes)),
    PLACEMENT(Attributes.name(DomainMXBean.class, DomainMXBean::getPlacement)),
    PLACEMENT_ERROR(Attributes.name(DomainMXBean.class, DomainMXBean::getPlacementError)),
    DEFINITION_DIGEST(Attributes.name(DomainMXBean.class, DomainMXBean::getDefinitionDigest));

    final String attribute;

    DomainAttribute(String attribute) {
      this.attribute = attribute;
    }
  }

  static final Request HOST =
      Request.read(ObjectNames.host(), names(HostAttribute.values(), a -> a.attribute));
  static final Request DOMAINS =
      Request.read(ObjectNames.allDomains(), names(DomainAttribute.values(), a -> a.attribute));

  /** The bulk read: the host, then its domains. */
  static final List<Request> REQUESTS = List.of(HOST, DOMAINS);

  private static final Map<String, HostAttribute> HOST_ATTRIBUTES =
      index(HostAttribute.values(), a -> a.attribute);
  private static final Map<String, DomainAttribute> DOMAIN_ATTRIBUTES =
      index(DomainAttribute.values(), a -> a.attribute);

  /**
   * Field names are neither canonicalised nor interned: a pattern read answers with every domain's
   * ObjectName as a key, tens of thousands of distinct names a round, which only churned Jackson's
   * shared symbol table and its 180-entry intern cache (cleared each time it fills). Doubles are
   * read with Jackson's fast parser: the JDK's took its slow path on most CPU figures (17 digits).
   */
  private static final JsonFactory JSON =
      JsonFactory.builder()
          .disable(JsonFactory.Feature.CANONICALIZE_FIELD_NAMES)
          .disable(JsonFactory.Feature.INTERN_FIELD_NAMES)
          .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
          .build();

  /** One Jolokia reply of the bulk: its status and error, and what its value held. */
  private static final class Reply {
    int status = -1;
    String error = "";
    String errorType = "";
    final EnumMap<HostAttribute, Object> host = new EnumMap<>(HostAttribute.class);
    final List<DomainFields> domains = new ArrayList<>();
  }

  /** A domain's attributes as read: null or 0 for what its answer left out. */
  private static final class DomainFields {
    String name;
    String uuid;
    String state;
    long memoryBytes;
    long maxMemoryBytes;
    int vcpus;
    double cpuUtilisation;
    double cpuTimeSeconds;
    long blockReadBytes;
    long blockWriteBytes;
    long networkReceiveBytes;
    long networkTransmitBytes;
    String placement;
    String placementError;
    String definitionDigest;
  }

  private HostAnswer() {}

  /** Parses the two replies (host, then domains). */
  static HostData parse(Body body) throws JolokiaException {
    List<Reply> replies = new ArrayList<>(2);
    try (JsonParser p = JSON.createParser(body.bytes())) {
      if (p.nextToken() != JsonToken.START_ARRAY) {
        throw body.notJolokia();
      }
      while (p.nextToken() == JsonToken.START_OBJECT) {
        replies.add(reply(p, replies.size()));
      }
    } catch (IOException e) {
      throw body.notJolokia();
    }
    if (replies.size() != 2 || replies.get(0).status < 0 || replies.get(1).status < 0) {
      throw body.notJolokia();
    }
    Reply host = replies.get(0);
    Reply domains = replies.get(1);
    if (host.status != 200) {
      JolokiaException e = error(body, HOST, host);
      throw e.refusal() == JolokiaException.Refusal.NOT_FOUND
          ? e.reworded(body.where() + " is a Jolokia without an XCM agent (no xcm:type=Host MBean)")
          : e;
    }
    // A pattern read that matches nothing is not found: a host without domains.
    if (domains.status != 200) {
      JolokiaException e = error(body, DOMAINS, domains);
      if (e.refusal() != JolokiaException.Refusal.NOT_FOUND) {
        throw e;
      }
    }
    List<DomainData> list = new ArrayList<>(domains.domains.size());
    for (DomainFields d : domains.domains) {
      list.add(domain(body, d));
    }
    list.sort((a, b) -> a.name().compareTo(b.name()));
    Map<HostAttribute, Object> fields = host.host;
    String name = text(body, fields, HostAttribute.NAME);
    if (name.isEmpty()) {
      throw body.unreadable("reports an empty host name");
    }
    return new HostData(
        name,
        (int) number(fields, HostAttribute.CPUS),
        (long) number(fields, HostAttribute.MEMORY),
        (long) number(fields, HostAttribute.MEMORY_FREE),
        number(fields, HostAttribute.CPU_UTILISATION),
        Boolean.TRUE.equals(fields.get(HostAttribute.STALE)),
        (long) number(fields, HostAttribute.SAMPLED),
        list,
        fields.get(HostAttribute.HOST_UUID) instanceof String uuid ? uuid : "",
        labels(fields.get(HostAttribute.LABELS)));
  }

  private static JolokiaException error(Body body, Request request, Reply reply) {
    return body.error(request, reply.status, reply.errorType, reply.error);
  }

  /** Reads the reply at {@code index} of the bulk; the parser stands on its START_OBJECT. */
  private static Reply reply(JsonParser p, int index) throws IOException {
    Reply reply = new Reply();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken value = p.nextToken();
      switch (field) {
        case "status" -> reply.status = p.getIntValue();
        case "error" -> reply.error = p.getValueAsString("");
        case "error_type" -> reply.errorType = p.getValueAsString("");
        case "value" -> {
          if (value == JsonToken.START_OBJECT && index == 0) {
            host(p, reply.host);
          } else if (value == JsonToken.START_OBJECT && index == 1) {
            domains(p, reply.domains);
          } else {
            p.skipChildren();
          }
        }
        default -> p.skipChildren();
      }
    }
    return reply;
  }

  /** The host's attributes; the parser stands on the value's START_OBJECT. */
  private static void host(JsonParser p, Map<HostAttribute, Object> fields) throws IOException {
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      HostAttribute attribute = HOST_ATTRIBUTES.get(p.currentName());
      JsonToken token = p.nextToken();
      if (attribute == HostAttribute.LABELS && token == JsonToken.START_OBJECT) {
        Map<String, String> labels = new TreeMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String key = p.currentName();
          if (scalar(p, p.nextToken()) instanceof String text) {
            labels.put(key, text);
          }
        }
        fields.put(attribute, labels);
      } else if (attribute == null) {
        p.skipChildren();
      } else {
        Object value = scalar(p, token);
        if (value != null) {
          fields.put(attribute, value);
        }
      }
    }
  }

  /** ObjectName → the domain's attributes; the parser stands on the value's START_OBJECT. */
  private static void domains(JsonParser p, List<DomainFields> domains) throws IOException {
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        p.skipChildren();
        continue;
      }
      DomainFields d = new DomainFields();
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        DomainAttribute attribute = DOMAIN_ATTRIBUTES.get(p.currentName());
        JsonToken token = p.nextToken();
        if (attribute == null) {
          p.skipChildren();
          continue;
        }
        switch (attribute) {
          case NAME -> d.name = text(p, token);
          case UUID -> d.uuid = text(p, token);
          case STATE -> d.state = text(p, token);
          case MEMORY -> d.memoryBytes = whole(p, token);
          case MAX_MEMORY -> d.maxMemoryBytes = whole(p, token);
          case VCPUS -> d.vcpus = (int) whole(p, token);
          case CPU_UTILISATION -> d.cpuUtilisation = number(p, token);
          case CPU_TIME -> d.cpuTimeSeconds = number(p, token);
          case BLOCK_READ -> d.blockReadBytes = whole(p, token);
          case BLOCK_WRITE -> d.blockWriteBytes = whole(p, token);
          case RECEIVED -> d.networkReceiveBytes = whole(p, token);
          case TRANSMITTED -> d.networkTransmitBytes = whole(p, token);
          case PLACEMENT -> d.placement = text(p, token);
          case PLACEMENT_ERROR -> d.placementError = text(p, token);
          case DEFINITION_DIGEST -> d.definitionDigest = text(p, token);
        }
      }
      domains.add(d);
    }
  }

  private static Object scalar(JsonParser p, JsonToken token) throws IOException {
    return switch (token) {
      case VALUE_STRING -> p.getText();
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> p.getDoubleValue();
      case VALUE_TRUE -> Boolean.TRUE;
      case VALUE_FALSE -> Boolean.FALSE;
      default -> {
        p.skipChildren();
        yield null;
      }
    };
  }

  /** A string's text, or null for anything else (skipped). */
  private static String text(JsonParser p, JsonToken token) throws IOException {
    if (token == JsonToken.VALUE_STRING) {
      return p.getText();
    }
    p.skipChildren();
    return null;
  }

  /** A number, or 0 for anything else (skipped). */
  private static double number(JsonParser p, JsonToken token) throws IOException {
    if (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT) {
      return p.getDoubleValue();
    }
    p.skipChildren();
    return 0;
  }

  /** A whole number read exactly (no double on the way), or 0 for anything else (skipped). */
  private static long whole(JsonParser p, JsonToken token) throws IOException {
    if (token == JsonToken.VALUE_NUMBER_INT
        && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
      return p.getLongValue();
    }
    return (long) number(p, token);
  }

  private static DomainData domain(Body body, DomainFields d) throws JolokiaException {
    if (d.name == null) {
      throw missing(body, DomainAttribute.NAME.attribute);
    }
    if (d.uuid == null) {
      throw missing(body, DomainAttribute.UUID.attribute);
    }
    if (d.state == null) {
      throw missing(body, DomainAttribute.STATE.attribute);
    }
    DomainState state;
    try {
      state = DomainState.valueOf(d.state);
    } catch (IllegalArgumentException e) {
      state = DomainState.NOSTATE;
    }
    return new DomainData(
        d.name,
        d.uuid,
        state,
        d.memoryBytes,
        d.maxMemoryBytes,
        d.vcpus,
        d.cpuUtilisation,
        d.cpuTimeSeconds,
        d.blockReadBytes,
        d.blockWriteBytes,
        d.networkReceiveBytes,
        d.networkTransmitBytes,
        // An agent older than placement rules has neither attribute: a pattern read leaves out
        // what an MBean lacks, so the domain has no rules and no error.
        DomainRules.reported(d.placement, d.placementError),
        d.definitionDigest);
  }

  private static JolokiaException missing(Body body, String attribute) {
    return body.unreadable("answers without '" + attribute + "': not an XCM agent of this version");
  }

  /** The host's labels as read: a map of strings, or none. */
  @SuppressWarnings("unchecked")
  private static Map<String, String> labels(Object value) {
    return value instanceof Map<?, ?> map ? (Map<String, String>) map : new TreeMap<>();
  }

  private static double number(Map<HostAttribute, Object> fields, HostAttribute attribute) {
    return fields.get(attribute) instanceof Double value ? value : 0;
  }

  private static String text(Body body, Map<HostAttribute, Object> fields, HostAttribute attribute)
      throws JolokiaException {
    if (!(fields.get(attribute) instanceof String value)) {
      throw missing(body, attribute.attribute);
    }
    return value;
  }

  private static <A> List<String> names(A[] attributes, Function<A, String> name) {
    List<String> names = new ArrayList<>();
    for (A a : attributes) {
      names.add(name.apply(a));
    }
    return names;
  }

  private static <A> Map<String, A> index(A[] attributes, Function<A, String> name) {
    Map<String, A> index = new HashMap<>();
    for (A a : attributes) {
      index.put(name.apply(a), a);
    }
    return Map.copyOf(index);
  }
}
