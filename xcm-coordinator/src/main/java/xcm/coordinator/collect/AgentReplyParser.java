package xcm.coordinator.collect;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import xcm.coordinator.inventory.DomainData;
import xcm.coordinator.inventory.HostData;
import xcm.mbeans.DomainState;

/**
 * Turns an agent's reply to {@link AgentClient#BULK_READ} into {@link HostData}, streaming: the
 * coordinator parses one reply per host per round, so no tree of the whole document is built.
 *
 * <p>Thread-safe: stateless apart from the shared, thread-safe {@link JsonFactory}.
 */
final class AgentReplyParser {
  private static final JsonFactory JSON = new JsonFactory();

  private AgentReplyParser() {}

  /** One Jolokia reply of the bulk: its status, error, and its value's scalar fields. */
  private static final class Reply {
    int status = -1;
    String error = "";
    Map<String, Object> fields = new HashMap<>();
    List<Map<String, Object>> objects = new ArrayList<>();
  }

  /**
   * Parses the two replies (host, then domains).
   *
   * @throws AgentException naming the URL when the body is not such a Jolokia reply
   */
  static HostData parse(String url, byte[] body) throws AgentException {
    List<Reply> replies = new ArrayList<>(2);
    try (JsonParser p = JSON.createParser(body)) {
      if (p.nextToken() != JsonToken.START_ARRAY) {
        throw notJolokia(url, body);
      }
      while (p.nextToken() == JsonToken.START_OBJECT) {
        replies.add(reply(p));
      }
    } catch (IOException e) {
      throw notJolokia(url, body);
    }
    if (replies.size() != 2 || replies.get(0).status < 0 || replies.get(1).status < 0) {
      throw notJolokia(url, body);
    }
    Reply host = replies.get(0);
    Reply domains = replies.get(1);
    if (host.status == 404) {
      throw new AgentException(
          "agent at " + url + " is a Jolokia without an XCM agent (no xcm:type=Host MBean)");
    }
    refused(url, host, "xcm:type=Host");
    // A pattern read that matches nothing answers 404: a host without domains.
    if (domains.status != 404) {
      refused(url, domains, "xcm:type=Domain,*");
    }
    List<DomainData> list = new ArrayList<>(domains.objects.size());
    for (Map<String, Object> d : domains.objects) {
      list.add(domain(url, d));
    }
    list.sort((a, b) -> a.name().compareTo(b.name()));
    String name = text(url, host.fields, "Name");
    if (name.isEmpty()) {
      throw new AgentException("agent at " + url + " reports an empty host name");
    }
    return new HostData(
        name,
        (int) number(host.fields, "Cpus"),
        (long) number(host.fields, "MemoryBytes"),
        (long) number(host.fields, "MemoryFreeBytes"),
        number(host.fields, "CpuUtilisation"),
        Boolean.TRUE.equals(host.fields.get("Stale")),
        (long) number(host.fields, "LastSampleEpochMillis"),
        list);
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
      if (token == JsonToken.START_OBJECT) {
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

  private static DomainData domain(String url, Map<String, Object> d) throws AgentException {
    DomainState state;
    try {
      state = DomainState.valueOf(text(url, d, "State"));
    } catch (IllegalArgumentException e) {
      state = DomainState.NOSTATE;
    }
    return new DomainData(
        text(url, d, "Name"),
        text(url, d, "Uuid"),
        state,
        (long) number(d, "MemoryBytes"),
        (long) number(d, "MaxMemoryBytes"),
        (int) number(d, "Vcpus"),
        number(d, "CpuUtilisation"),
        number(d, "CpuTimeSeconds"),
        (long) number(d, "BlockReadBytes"),
        (long) number(d, "BlockWriteBytes"),
        (long) number(d, "NetworkReceiveBytes"),
        (long) number(d, "NetworkTransmitBytes"));
  }

  private static void refused(String url, Reply reply, String mbean) throws AgentException {
    if (reply.status != 200) {
      throw new AgentException(
          "agent at "
              + url
              + " refused to read "
              + mbean
              + " (Jolokia status "
              + reply.status
              + ": "
              + reply.error
              + ")");
    }
  }

  private static double number(Map<String, Object> fields, String name) {
    return fields.get(name) instanceof Double value ? value : 0;
  }

  private static String text(String url, Map<String, Object> fields, String name)
      throws AgentException {
    if (!(fields.get(name) instanceof String value)) {
      throw new AgentException(
          "agent at " + url + " answers without '" + name + "': not an XCM agent of this version");
    }
    return value;
  }

  private static AgentException notJolokia(String url, byte[] body) {
    String start =
        new String(body, 0, Math.min(body.length, 200), java.nio.charset.StandardCharsets.UTF_8)
            .strip();
    if (start.length() > 60) {
      start = start.substring(0, 60) + "...";
    }
    return new AgentException(
        "agent at " + url + " answers with something that is not Jolokia: \"" + start + "\"");
  }
}
