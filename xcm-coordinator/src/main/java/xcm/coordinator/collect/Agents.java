package xcm.coordinator.collect;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import javax.net.ssl.SSLContext;
import xcm.client.Body;
import xcm.client.Credentials;
import xcm.client.JolokiaClient;
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
import xcm.mbeans.placement.PlacementRules;

/**
 * How the coordinator reaches its agents: one {@link JolokiaClient} for all of them ({@link
 * #client}), and what it reads of each ({@link #host}): its {@code xcm:type=Host} and every {@code
 * xcm:type=Domain} in one Jolokia bulk POST, only the attributes the views show (half the bytes to
 * serialise, send and parse), named through the MXBean interfaces both in the request and in the
 * parser. The answer is parsed streaming: the coordinator reads every host every round, so no tree
 * of the whole document is built.
 *
 * <pre>{@code
 * JolokiaClient agents = Agents.client(EnrolledAgents.credentials(desk), timeout, pool, tls);
 * HostData dmz01 = Agents.host(agents, "http://10.0.0.5:8778/jolokia/").join();
 * }</pre>
 *
 * <p>Thread-safe: stateless apart from the shared, thread-safe {@link JsonFactory}.
 */
public final class Agents {
  /**
   * Field names are neither canonicalised nor interned: a pattern read answers with every domain's
   * ObjectName as a key, tens of thousands of distinct names a round, which only churned Jackson's
   * shared symbol table and its 180-entry intern cache (cleared each time it fills).
   */
  private static final JsonFactory JSON =
      JsonFactory.builder()
          .disable(JsonFactory.Feature.CANONICALIZE_FIELD_NAMES)
          .disable(JsonFactory.Feature.INTERN_FIELD_NAMES)
          .build();

  private static final String NAME = Attributes.name(HostMXBean.class, HostMXBean::getName);
  private static final String CPUS = Attributes.name(HostMXBean.class, HostMXBean::getCpus);
  private static final String HOST_UUID =
      Attributes.name(HostMXBean.class, HostMXBean::getHostUuid);
  private static final String LABELS = Attributes.name(HostMXBean.class, HostMXBean::getLabels);
  private static final String MEMORY =
      Attributes.name(HostMXBean.class, HostMXBean::getMemoryBytes);
  private static final String MEMORY_FREE =
      Attributes.name(HostMXBean.class, HostMXBean::getMemoryFreeBytes);
  private static final String CPU_UTILISATION =
      Attributes.name(HostMXBean.class, HostMXBean::getCpuUtilisation);
  private static final String STALE = Attributes.name(HostMXBean.class, HostMXBean::isStale);
  private static final String SAMPLED =
      Attributes.name(HostMXBean.class, HostMXBean::getLastSampleEpochMillis);

  private static final String DOMAIN_NAME =
      Attributes.name(DomainMXBean.class, DomainMXBean::getName);
  private static final String UUID = Attributes.name(DomainMXBean.class, DomainMXBean::getUuid);
  private static final String STATE = Attributes.name(DomainMXBean.class, DomainMXBean::getState);
  private static final String DOMAIN_MEMORY =
      Attributes.name(DomainMXBean.class, DomainMXBean::getMemoryBytes);
  private static final String MAX_MEMORY =
      Attributes.name(DomainMXBean.class, DomainMXBean::getMaxMemoryBytes);
  private static final String VCPUS = Attributes.name(DomainMXBean.class, DomainMXBean::getVcpus);
  private static final String DOMAIN_CPU_UTILISATION =
      Attributes.name(DomainMXBean.class, DomainMXBean::getCpuUtilisation);
  private static final String CPU_TIME =
      Attributes.name(DomainMXBean.class, DomainMXBean::getCpuTimeSeconds);
  private static final String BLOCK_READ =
      Attributes.name(DomainMXBean.class, DomainMXBean::getBlockReadBytes);
  private static final String BLOCK_WRITE =
      Attributes.name(DomainMXBean.class, DomainMXBean::getBlockWriteBytes);
  private static final String RECEIVED =
      Attributes.name(DomainMXBean.class, DomainMXBean::getNetworkReceiveBytes);
  private static final String TRANSMITTED =
      Attributes.name(DomainMXBean.class, DomainMXBean::getNetworkTransmitBytes);
  private static final String PLACEMENT =
      Attributes.name(DomainMXBean.class, DomainMXBean::getPlacement);
  private static final String PLACEMENT_ERROR =
      Attributes.name(DomainMXBean.class, DomainMXBean::getPlacementError);
  private static final String DEFINITION_DIGEST =
      Attributes.name(DomainMXBean.class, DomainMXBean::getDefinitionDigest);

  static final Request HOST =
      Request.read(
          ObjectNames.host(),
          List.of(
              NAME, CPUS, MEMORY, MEMORY_FREE, CPU_UTILISATION, STALE, SAMPLED, HOST_UUID, LABELS));
  static final Request DOMAINS =
      Request.read(
          ObjectNames.allDomains(),
          List.of(
              DOMAIN_NAME,
              UUID,
              STATE,
              DOMAIN_MEMORY,
              MAX_MEMORY,
              VCPUS,
              DOMAIN_CPU_UTILISATION,
              CPU_TIME,
              BLOCK_READ,
              BLOCK_WRITE,
              RECEIVED,
              TRANSMITTED,
              PLACEMENT,
              PLACEMENT_ERROR,
              DEFINITION_DIGEST));

  private static final String SET_PLACEMENT = "setPlacement";

  /** The bulk read: the host, then its domains. */
  static final List<Request> BULK_READ = List.of(HOST, DOMAINS);

  private Agents() {}

  /**
   * The client of every agent: {@code credentials} give each agent's password, {@code timeout}
   * bounds each connection and each request, and {@code executor} (a small pool) reads the answers
   * of thousands of agents.
   */
  public static JolokiaClient client(Credentials credentials, Duration timeout, Executor executor) {
    return client(credentials, timeout, executor, null);
  }

  /**
   * As {@link #client(Credentials, Duration, Executor)}, with {@code tls} for {@code https} agents
   * (the cluster's: the coordinator's certificate, the agents enrolled); null for the JDK's.
   */
  public static JolokiaClient client(
      Credentials credentials, Duration timeout, Executor executor, SSLContext tls) {
    return JolokiaClient.builder()
        .tls(tls)
        .credentials(credentials)
        .callee("agent")
        .timeout(timeout)
        .connectTimeout(timeout)
        .executor(executor)
        .build();
  }

  /**
   * Reads the agent at {@code url}; the future fails with a {@link JolokiaException} naming the URL
   * and the reason.
   */
  public static CompletableFuture<HostData> host(JolokiaClient agents, String url) {
    return agents.sendAsync(url, BULK_READ, Agents::parse);
  }

  /**
   * Sets a domain's placement rules through the agent at {@code url} ({@code
   * HostOperationsMXBean.setPlacement}): it writes them into the domain's libvirt metadata, live
   * and persistent, and samples, so that the next collection round reads them. {@link
   * PlacementRules#NONE} removes them. Blocks the calling thread until the agent answers.
   *
   * <pre>{@code
   * Agents.setPlacement(
   *     agents, host.url(), "db01", PlacementRules.parse("apart db; pinned"), mandate.epoch());
   * }</pre>
   *
   * @param epoch the coordinator's epoch, which the agent checks
   * @throws JolokiaException naming the agent and the reason: refused ({@link
   *     JolokiaException#outcome()} REFUSED, nothing written) for an unknown domain, one being
   *     migrated, rules the agent cannot read, a caller that is not the agent's operator, or
   *     (refusal SUPERSEDED) an epoch older than the newest the agent has seen
   */
  public static void setPlacement(
      JolokiaClient agents, String url, String domain, PlacementRules rules, long epoch)
      throws JolokiaException, InterruptedException {
    agents.send(url, setPlacementRequest(domain, rules, epoch));
  }

  /**
   * The request {@link #setPlacement} sends: the rules in text form, which the agent reads again.
   */
  static Request setPlacementRequest(String domain, PlacementRules rules, long epoch) {
    return Request.exec(
        ObjectNames.hostOperations(), SET_PLACEMENT, domain, rules.toString(), epoch);
  }

  /** One Jolokia reply of the bulk: its status, error, and its value's scalar fields. */
  private static final class Reply {
    int status = -1;
    String error = "";
    String errorType = "";
    Map<String, Object> fields = new HashMap<>();
    List<Map<String, Object>> objects = new ArrayList<>();
  }

  /** Parses the two replies (host, then domains). */
  static HostData parse(Body body) throws JolokiaException {
    List<Reply> replies = new ArrayList<>(2);
    try (JsonParser p = JSON.createParser(body.bytes())) {
      if (p.nextToken() != JsonToken.START_ARRAY) {
        throw body.notJolokia();
      }
      while (p.nextToken() == JsonToken.START_OBJECT) {
        replies.add(reply(p));
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
    List<DomainData> list = new ArrayList<>(domains.objects.size());
    for (Map<String, Object> d : domains.objects) {
      list.add(domain(body, d));
    }
    list.sort((a, b) -> a.name().compareTo(b.name()));
    String name = text(body, host.fields, NAME);
    if (name.isEmpty()) {
      throw body.unreadable("reports an empty host name");
    }
    return new HostData(
        name,
        (int) number(host.fields, CPUS),
        (long) number(host.fields, MEMORY),
        (long) number(host.fields, MEMORY_FREE),
        number(host.fields, CPU_UTILISATION),
        Boolean.TRUE.equals(host.fields.get(STALE)),
        (long) number(host.fields, SAMPLED),
        list,
        host.fields.get(HOST_UUID) instanceof String uuid ? uuid : "",
        labels(host.fields.get(LABELS)));
  }

  private static JolokiaException error(Body body, Request request, Reply reply) {
    return body.error(request, reply.status, reply.errorType, reply.error);
  }

  /** Reads one reply object; the parser stands on its START_OBJECT. */
  private static Reply reply(JsonParser p) throws IOException {
    Reply reply = new Reply();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken value = p.nextToken();
      switch (field) {
        case "status" -> reply.status = p.getIntValue();
        case "error" -> reply.error = p.getValueAsString("");
        case "error_type" -> reply.errorType = p.getValueAsString("");
        case "value" -> {
          if (value == JsonToken.START_OBJECT) {
            value(p, reply);
          } else {
            p.skipChildren();
          }
        }
        default -> p.skipChildren();
      }
    }
    return reply;
  }

  /**
   * A value is either one MBean's attributes (scalars) or, for a pattern read, MBean name →
   * attributes.
   */
  private static void value(JsonParser p, Reply reply) throws IOException {
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken token = p.nextToken();
      if (token == JsonToken.START_OBJECT && !field.contains(":")) {
        // An attribute whose value is a map of strings (the host's labels), not an MBean's name.
        Map<String, String> entries = new TreeMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String key = p.currentName();
          if (scalar(p, p.nextToken()) instanceof String text) {
            entries.put(key, text);
          }
        }
        reply.fields.put(field, entries);
      } else if (token == JsonToken.START_OBJECT) {
        Map<String, Object> attributes = new HashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String attribute = p.currentName();
          attributes.put(attribute, scalar(p, p.nextToken()));
        }
        reply.objects.add(attributes);
      } else {
        reply.fields.put(field, scalar(p, token));
      }
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

  private static DomainData domain(Body body, Map<String, Object> d) throws JolokiaException {
    DomainState state;
    try {
      state = DomainState.valueOf(text(body, d, STATE));
    } catch (IllegalArgumentException e) {
      state = DomainState.NOSTATE;
    }
    return new DomainData(
        text(body, d, DOMAIN_NAME),
        text(body, d, UUID),
        state,
        (long) number(d, DOMAIN_MEMORY),
        (long) number(d, MAX_MEMORY),
        (int) number(d, VCPUS),
        number(d, DOMAIN_CPU_UTILISATION),
        number(d, CPU_TIME),
        (long) number(d, BLOCK_READ),
        (long) number(d, BLOCK_WRITE),
        (long) number(d, RECEIVED),
        (long) number(d, TRANSMITTED),
        // An agent older than placement rules has neither attribute: a pattern read leaves out
        // what an MBean lacks, so the domain has no rules and no error.
        DomainRules.reported(optionalText(d, PLACEMENT), optionalText(d, PLACEMENT_ERROR)),
        optionalText(d, DEFINITION_DIGEST));
  }

  private static String optionalText(Map<String, Object> fields, String name) {
    return fields.get(name) instanceof String value ? value : null;
  }

  /** The host's labels as read: a map of strings, or none. */
  private static Map<String, String> labels(Object value) {
    Map<String, String> labels = new TreeMap<>();
    if (value instanceof Map<?, ?> map) {
      map.forEach(
          (k, v) -> {
            if (k instanceof String key && v instanceof String text) {
              labels.put(key, text);
            }
          });
    }
    return labels;
  }

  private static double number(Map<String, Object> fields, String name) {
    return fields.get(name) instanceof Double value ? value : 0;
  }

  private static String text(Body body, Map<String, Object> fields, String name)
      throws JolokiaException {
    if (!(fields.get(name) instanceof String value)) {
      throw body.unreadable("answers without '" + name + "': not an XCM agent of this version");
    }
    return value;
  }
}
